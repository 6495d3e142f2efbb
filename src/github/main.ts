#!/usr/bin/env node
import { run } from 'probot';
import { createApp } from './app.ts';
import { appOctokit } from './octokit.ts';
import { startServer } from './server.ts';

// Probot reads APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, … from the environment (.env.example); without them it serves the
// page that registers a new GitHub App from app.yml. With them, the app runs behind its own HTTP entry (limits,
// signature before parsing, /healthz, /readyz, /metrics).
const app = createApp();
if (process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH)) await startServer(app.appFn);
else await run(app.appFn, { Octokit: appOctokit() });
