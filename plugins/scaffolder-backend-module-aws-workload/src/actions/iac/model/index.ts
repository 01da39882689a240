export * from './model';
export * from './policies';
