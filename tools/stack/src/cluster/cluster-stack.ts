/** A profile's commands (`--brokers N`, `--secure`): what the CLI and the public entry offer. */
export {
  type ClusterCommandOptions,
  ClusterStackError,
} from './cluster-command';
export {
  clusterDown,
  clusterReset,
  type ClusterResetOptions,
} from './cluster-down';
export { type ClusterServerStatus, clusterStatus } from './cluster-status';
export {
  clusterPrepare,
  clusterUp,
  type ClusterUpOptions,
  type ClusterUpResult,
} from './cluster-up';
export type { ProfileFiles } from './profile-files';
