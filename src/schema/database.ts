import * as z from 'zod/mini';
import { dbInstanceClass, described } from './primitives.js';

export const databaseSchema = described(
  z.strictObject({
    engineVersion: described(
      z._default(z.string().check(z.regex(/^\d{2}\.\d+$/, { message: 'must be an Aurora PostgreSQL version such as 16.6' })), '16.6'),
      'Aurora PostgreSQL engine version. @default 16.6',
    ),
    instanceClass: described(z._default(dbInstanceClass, 'db.r6g.large'), '@default db.r6g.large'),
    instances: described(z._default(z.int().check(z.minimum(1), z.maximum(16)), 2), 'Writer plus readers. @default 2'),
    serverlessV2: described(
      z.optional(
        z.strictObject({
          minCapacity: described(z._default(z.number().check(z.minimum(0), z.maximum(256)), 0.5), 'ACUs. @default 0.5'),
          maxCapacity: described(z._default(z.number().check(z.minimum(1), z.maximum(256)), 4), 'ACUs. @default 4'),
        }),
      ),
      'Use Aurora Serverless v2 instances (db.serverless) with this capacity range.',
    ),
    databaseName: described(z._default(z.string().check(z.regex(/^[a-z][a-z0-9_]{0,62}$/)), 'app'), '@default app'),
    masterUsername: described(
      z._default(z.string().check(z.regex(/^[a-z][a-z0-9_]{0,15}$/)), 'app_admin'),
      'Password is managed by Secrets Manager, never written here. @default app_admin',
    ),
    storageEncrypted: described(z._default(z.boolean(), true), 'Must stay true. @default true'),
    forceSsl: described(z._default(z.boolean(), true), 'rds.force_ssl = 1. Must stay true. @default true'),
    backupRetentionDays: described(z._default(z.int().check(z.minimum(1), z.maximum(35)), 30), 'Continuous backup / PITR window. @default 30'),
    snapshotRetentionDays: described(z._default(z.int().check(z.minimum(1), z.maximum(36500)), 35), 'AWS Backup daily snapshots. @default 35'),
    preferredBackupWindow: described(z._default(z.string().check(z.regex(/^\d\d:\d\d-\d\d:\d\d$/)), '03:00-04:00'), 'UTC. @default 03:00-04:00'),
    preferredMaintenanceWindow: described(
      z._default(z.string().check(z.regex(/^(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d-(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d$/)), 'sun:04:30-sun:05:30'),
      'UTC. @default sun:04:30-sun:05:30',
    ),
    deletionProtection: described(z.optional(z.boolean()), '@default true in production'),
    crossRegionReplica: described(z.optional(z.boolean()), 'Aurora global database secondary in the DR region. @default true in production with a drRegion'),
    performanceInsights: described(z._default(z.boolean(), true), '@default true'),
  }),
  'Aurora PostgreSQL in the isolated subnets.',
);
