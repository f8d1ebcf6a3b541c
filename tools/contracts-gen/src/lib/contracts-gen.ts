export function contractsGen(): string {
  return 'contracts-gen';
}
