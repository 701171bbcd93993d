/**
 * Broadside's schema, one file per noun. drizzle-kit reads this folder; migrations in drizzle/
 * are generated with `npm run db:generate`. Keep them additive (ALTER TABLE … ADD COLUMN): a
 * table rebuild deletes child rows with ON DELETE CASCADE on D1.
 */
export * from './admin';
export * from './articles';
export * from './campaigns';
export * from './complaint-holds';
export * from './counts';
export * from './erasures';
export * from './outbox';
export * from './rate-limits';
export * from './settings';
export * from './subscribers';
export * from './tracking';
export * from './transactional-mail';
export * from './webhooks';
