export * from './cli';
export * from './run';
export * from './synthesize';
