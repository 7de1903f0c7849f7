import * as z from 'zod';
import { dbInstanceClass } from './primitives.js';

export const databaseSchema = z
  .strictObject({
    engineVersion: z.string().regex(/^\d{2}\.\d+$/, { message: 'must be an Aurora PostgreSQL version such as 16.6' }).default('16.6').describe('Aurora PostgreSQL engine version. @default 16.6'),
    instanceClass: dbInstanceClass.default('db.r6g.large').describe('@default db.r6g.large'),
    instances: z.number().int().min(1).max(16).default(2).describe('Writer plus readers. @default 2'),
    serverlessV2: z
      .strictObject({
        minCapacity: z.number().min(0).max(256).default(0.5).describe('ACUs. @default 0.5'),
        maxCapacity: z.number().min(1).max(256).default(4).describe('ACUs. @default 4'),
      })
      .optional()
      .describe('Use Aurora Serverless v2 instances (db.serverless) with this capacity range.'),
    databaseName: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/).default('app').describe('@default app'),
    masterUsername: z.string().regex(/^[a-z][a-z0-9_]{0,15}$/).default('app_admin').describe('Password is managed by Secrets Manager, never written here. @default app_admin'),
    storageEncrypted: z.boolean().default(true).describe('Must stay true. @default true'),
    forceSsl: z.boolean().default(true).describe('rds.force_ssl = 1. Must stay true. @default true'),
    backupRetentionDays: z.number().int().min(1).max(35).default(30).describe('Continuous backup / PITR window. @default 30'),
    snapshotRetentionDays: z.number().int().min(1).max(36500).default(35).describe('AWS Backup daily snapshots. @default 35'),
    preferredBackupWindow: z.string().regex(/^\d\d:\d\d-\d\d:\d\d$/).default('03:00-04:00').describe('UTC. @default 03:00-04:00'),
    preferredMaintenanceWindow: z.string().regex(/^(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d-(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d$/).default('sun:04:30-sun:05:30').describe('UTC. @default sun:04:30-sun:05:30'),
    deletionProtection: z.boolean().optional().describe('@default true in production'),
    crossRegionReplica: z.boolean().optional().describe('Aurora global database secondary in the DR region. @default true in production with a drRegion'),
    performanceInsights: z.boolean().default(true).describe('@default true'),
  })
  .describe('Aurora PostgreSQL in the isolated subnets.');
