import { PREFIX } from '../command-grammar.ts';
import { target, type RegisterHandler } from './jobs.ts';

/** A `/osm2linkerd` comment on a pull request, not by a bot: stored as a command for a worker to check and run. */
export const onIssueComment: RegisterHandler = (app, { enqueue }) => {
  app.on('issue_comment.created', async (context) => {
    const { payload } = context;
    if (context.isBot || !payload.issue.pull_request || !payload.comment.body.trimStart().toLowerCase().startsWith(PREFIX)) return;
    const r = payload.repository;
    await enqueue(context, [{
      kind: 'command',
      target: { ...target({ owner: r.owner.login, repo: r.name }, payload.installation?.id), defaultBranch: r.default_branch },
      comment: {
        commentId: payload.comment.id, body: payload.comment.body, author: payload.comment.user?.login ?? '', issueNumber: payload.issue.number,
        pullRequestAuthor: payload.issue.user?.login ?? null, pullRequestBody: payload.issue.body ?? '',
      },
    }]);
  });
};
