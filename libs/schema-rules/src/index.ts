export * from './subject-compatibility';
