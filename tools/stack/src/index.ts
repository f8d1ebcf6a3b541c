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
