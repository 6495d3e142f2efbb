#!/usr/bin/env node
import { run } from 'probot';
import { createApp } from './app.ts';
import { appOctokit } from './octokit.ts';

// Probot reads APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, … from the environment (.env.example); without them it serves the
// page that registers a new GitHub App from app.yml.
const app = createApp();
await run(app.appFn, { Octokit: appOctokit() });
