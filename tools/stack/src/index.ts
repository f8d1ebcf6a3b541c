export {
  runPreflight,
  type PreflightOptions,
  type PreflightPurpose,
} from './preflight/preflight';
export {
  loadStackConfig,
  StackConfigError,
  stackDefaults,
  stackEnvNames,
  type StackConfig,
} from './config';
export {
  managedServerNames,
  ResetNotConfirmedError,
  StackError,
  stackDown,
  stackReset,
  stackStatus,
  stackUp,
  type ManagedServerName,
  type ServerName,
  type ServerStatus,
  type StackCommandOptions,
  type StackDownOptions,
  type StackResetOptions,
  type StackUpOptions,
  type StackUpResult,
} from './stack';
export {
  clusterDown,
  clusterPrepare,
  clusterReset,
  clusterStatus,
  clusterUp,
  type ClusterCommandOptions,
  type ClusterResetOptions,
  type ClusterServerStatus,
  type ClusterUpOptions,
  type ClusterUpResult,
  type ProfileFiles,
} from './cluster/cluster-stack';
export {
  clusterClientEnvironment,
  clusterRegistryToken,
  secureClientEnvironment,
} from './cluster/client-settings';
export {
  brokerPids,
  killBroker,
  startBroker,
  stopBroker,
  waitForBrokerInIsr,
  type BrokerOptions,
  type IsrOptions,
} from './cluster/brokers';
export {
  clusterPortDefaults,
  secureCluster,
  type ClusterPorts,
  type ClusterSelection,
} from './cluster/profile';
export { freePort } from './net';
