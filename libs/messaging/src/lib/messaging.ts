export function messaging(): string {
  return 'messaging';
}
