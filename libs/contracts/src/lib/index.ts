export * from './avro-schema';
export * from './contract';
export * from './contract-validation-error';
export * from './field-default';
export * from './timestamp-millis.type';
