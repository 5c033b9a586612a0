// The step, top to bottom: read the inputs → decide once what the step is (its settings and mode) →
// the mode's work, which returns its results → judge them under the error policy and publish once
// (publish.ts): the log, the outputs, the job summary, the pull request comment. runStep() is the one
// entry, for index.ts and the tests alike: the main step, or guard mode's post step.
//
// The first request leaves before the rest of the action loads: this module and what it imports are
// what that request needs (the inputs, the settings, the mode, the client); publish.ts, with the
// report and GitHub, loads once the request is sent, while its answer is on the way.

import { info, onRunnerCancel, readInputs, saveState } from './github/runner-start.ts';
import { guardedBatches, markPostStepNext, stepToRun } from './github/step-state.ts';
import { cancelNamed } from './modes/cancel-named.ts';
import { cancelStale } from './modes/cancel-stale.ts';
import { cancelFromPullRequest } from './modes/from-pull-request.ts';
import { guardPost, recordGuard } from './modes/guard.ts';
import type { ModeOutcome } from './modes/outcome.ts';
import type { LedgerContext, ModeContext } from './modes/step.ts';
import { track } from './modes/track.ts';
import type { StepEnd } from './publish.ts';
import { ServiceClients } from './service/connection.ts';
import { watchFirstRequest } from './service/first-request.ts';
import { type RequestLimits, requestLimits } from './service/retry.ts';
import { parseSettings, summaryWanted } from './settings/inputs.ts';
import type { Settings } from './settings/settings.ts';

/** The report's title: the main step's, or guard mode's post step's. */
function titleOf(step: 'main' | 'post'): string {
  return step === 'main'
    ? 'Cancel Document Translation'
    : 'Guard: translations left running when the job ended';
}

let publishing: Promise<typeof import('./publish.ts')> | undefined;
/** The rest of the action: loaded once, when the first request is sent or when it is needed first. */
function loadPublish(): Promise<typeof import('./publish.ts')> {
  publishing ??= import(/* webpackChunkName: "rest" */ './publish.ts');
  return publishing;
}

/** The mode's work, which the settings name, for the main step or guard mode's post step. */
export async function work(
  settings: Settings,
  limits: RequestLimits,
  step: 'main' | 'post',
): Promise<ModeOutcome> {
  const clients = new ServiceClients(settings, limits);
  const context: ModeContext = {
    github: { token: settings.githubToken, pullRequest: settings.pullRequest },
    limits,
    connect: (service) => clients.open(service),
    log: info,
  };
  // The ledger's modes write the pull request comment as part of their work.
  const ledgerContext = async (): Promise<LedgerContext> => ({
    ...context,
    renderComment: (await loadPublish()).commentRenderer(settings, titleOf(step)),
  });
  try {
    const { mode } = settings;
    if (step === 'post') {
      // index.ts runs the post step only when guard mode's main step recorded batches.
      if (mode.kind !== 'guard') throw new Error(`a post step runs after guard mode, not ${mode.kind}`);
      return await guardPost(mode, guardedBatches(), context);
    }
    switch (mode.kind) {
      case 'cancel-named':
        return await cancelNamed(mode, context);
      case 'cancel-stale':
        return await cancelStale(mode, context);
      case 'guard':
        return recordGuard(mode, saveState);
      case 'track':
        return await track(mode, await ledgerContext());
      case 'from-pull-request':
        return await cancelFromPullRequest(mode, await ledgerContext());
    }
  } finally {
    clients.close();
  }
}

/** The runner's cancel, as a signal every request and wait of the step stops on. */
function runnerCancel(): AbortSignal {
  const interrupt = new AbortController();
  onRunnerCancel((signal) => {
    info(`Received ${signal}: the runner is cancelling the step; stopping retries and waits.`);
    interrupt.abort();
  });
  return interrupt.signal;
}

/** The step: the main step, or guard mode's post step; nothing for another post step. */
export async function runStep(): Promise<void> {
  const step = stepToRun();
  if (step === 'none') return;
  const interrupt = runnerCancel();
  const raw = readInputs();
  const end: StepEnd = {
    title: titleOf(step),
    main: step === 'main',
    jobSummary: summaryWanted(raw),
    outcome: { results: [], serviceBase: '', waited: false, notes: [] },
  };
  const firstRequest = watchFirstRequest();
  try {
    if (step === 'main') markPostStepNext(saveState);
    end.settings = parseSettings(raw);
    end.limits = requestLimits(end.settings, interrupt, info);
    // What the inputs' remarks warn of is said with the verdicts it bears on (publish.ts).
    for (const { level, message } of end.settings.remarks) if (level === 'info') info(message);
    const working = work(end.settings, end.limits, step);
    void firstRequest.sent.then(loadPublish);
    end.outcome = await working;
  } catch (error) {
    end.stoppedBy = { error };
  } finally {
    firstRequest.stop();
  }
  const { publish } = await loadPublish();
  await publish(end);
}
