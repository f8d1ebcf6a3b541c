/** `UploadSubtaskResult` → `upload-subtask-result`. */
export function kebabCase(name: string): string {
  return splitWords(name).join('-');
}

/** `UploadOutcome` → `UPLOAD_OUTCOME`. */
export function constantCase(name: string): string {
  return splitWords(name).join('_').toUpperCase();
}

function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}
