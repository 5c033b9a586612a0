// The step, top to bottom: read the inputs → decide once what the step is (its settings and mode) →
// the mode's work, which returns its results → judge them under the error policy and publish once
// (publish.ts): the log, the outputs, the job summary, the pull request comment. runStep() is the one
// entry, for index.ts and the tests alike: the main step, or guard mode's post step.
//
// The first request leaves before the rest of the action loads: this module and what it imports
// (the inputs, the settings) load first; once the settings name the service, the connections for the
// first requests open (service/early-connection.ts) while the modes and the client load (the "work"
// chunk, with undici); publish.ts, with the report and GitHub, loads once the request is sent, while
// its answer is on the way.

import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Service } from './common/credential.ts';
import { info, oidcTokenUrl, onRunnerCancel, readInputs, saveState } from './github/runner-start.ts';
import { guardedBatches, markPostStepNext, stepToRun } from './github/step-state.ts';
import type { ModeOutcome } from './modes/outcome.ts';
import { type LedgerContext, type ModeContext, outcomeOf } from './modes/step.ts';
import type { StepEnd } from './publish.ts';
import { EarlyConnection } from './service/early-connection.ts';
import { watchFirstRequest } from './service/first-request.ts';
import { type RequestLimits, requestLimits } from './service/retry.ts';
import { parseSettings, summaryWanted } from './settings/inputs.ts';
import { proxyFor } from './settings/proxy.ts';
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

/**
 * The mode's work, which the settings name, for the main step or guard mode's post step; the first
 * connections are the `early` ones that opened. Each mode's module loads as it runs.
 */
export async function work(
  settings: Settings,
  limits: RequestLimits,
  step: 'main' | 'post',
  early: readonly EarlyConnection[] = [],
): Promise<ModeOutcome> {
  if (early.length > 0) {
    // Each step of an early connection (its DNS lookup and connect; then the DNS answer or the TCP
    // handshake come meanwhile) waits for a turn of the event loop, which loading the client and the
    // modes holds for tens of milliseconds: a turn before undici's request path loads, and one after.
    await nextTurn();
    await import(/* webpackChunkName: "work" */ './service/http.ts');
    await nextTurn();
  }
  const { ServiceClients } = await import(/* webpackChunkName: "work" */ './service/connection.ts');
  const clients = new ServiceClients(settings, limits, early);
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
      const { guardPost } = await import(/* webpackChunkName: "work" */ './modes/guard.ts');
      return await guardPost(mode, guardedBatches(), context);
    }
    switch (mode.kind) {
      case 'cancel-named': {
        const { cancelNamed } = await import(/* webpackChunkName: "work" */ './modes/cancel-named.ts');
        return await cancelNamed(mode, context);
      }
      case 'cancel-stale': {
        const { cancelStale } = await import(/* webpackChunkName: "work" */ './modes/cancel-stale.ts');
        return await cancelStale(mode, context);
      }
      case 'guard': {
        const { recordGuard } = await import(/* webpackChunkName: "work" */ './modes/guard.ts');
        return recordGuard(mode, saveState);
      }
      case 'track': {
        const { track } = await import(/* webpackChunkName: "work" */ './modes/track.ts');
        return await track(mode, await ledgerContext());
      }
      case 'from-pull-request': {
        const { cancelFromPullRequest } = await import(
          /* webpackChunkName: "work" */ './modes/from-pull-request.ts'
        );
        return await cancelFromPullRequest(mode, await ledgerContext());
      }
    }
  } finally {
    clients.close();
  }
}

/** The service the step's first request goes to, when it is the service. */
function firstService({ mode }: Settings, step: 'main' | 'post'): Partial<Service> {
  switch (mode.kind) {
    case 'cancel-named':
    case 'cancel-stale':
    case 'track':
      return mode;
    case 'guard':
      return step === 'post' ? mode : {};
    case 'from-pull-request':
      // It reads the pull request's ledger on GitHub first.
      return {};
  }
}

/**
 * The connections for the step's first requests when they go straight to the service (not through
 * the runner's proxy): the service's, and before it, for keyless sign-in, the connections to GitHub's
 * OIDC token service and to Microsoft Entra, so that the handshakes of all three go on together.
 */
export function openEarlyConnections(settings: Settings, step: 'main' | 'post'): EarlyConnection[] {
  const { serviceBase, credential } = firstService(settings, step);
  if (!serviceBase || !credential) return [];
  const signIn = credential.kind === 'federated' ? [oidcTokenUrl(), credential.authorityHost] : [];
  const origins = new Set(
    [...signIn, serviceBase].flatMap((url) => (url && URL.canParse(url) ? [new URL(url).origin] : [])),
  );
  return [...origins]
    .map((origin) => new URL(origin))
    .filter((url) => !proxyFor(settings.proxies, url))
    .map((url) => new EarlyConnection(url));
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
    outcome: outcomeOf([], ''),
  };
  const firstRequest = watchFirstRequest();
  try {
    if (step === 'main') markPostStepNext(saveState);
    end.settings = parseSettings(raw);
    const early = openEarlyConnections(end.settings, step);
    end.limits = requestLimits(end.settings, interrupt, info);
    // What the inputs' remarks warn of is said with the verdicts it bears on (publish.ts).
    for (const { level, message } of end.settings.remarks) if (level === 'info') info(message);
    const working = work(end.settings, end.limits, step, early);
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
