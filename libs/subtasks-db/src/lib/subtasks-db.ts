export function subtasksDb(): string {
  return 'subtasks-db';
}
