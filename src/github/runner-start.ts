// The runner's side of the step up to its first request: the inputs, read once with their secrets
// masked; plain log lines; the state the post step reads; the runner's cancel. It writes what
// @actions/core writes (a `::add-mask::` line is all core.setSecret writes; a state is a
// `name<<delimiter` entry in GITHUB_STATE, appended by common/file-commands.ts as core.saveState
// appends it) without loading it: @actions/core takes about 15 ms of a start, and loads with the
// rest of the action (github/runner.ts) while the first request is on its way.
import { EOL } from 'node:os';
import { appendFileCommands } from '../common/file-commands.ts';
import { Input, type InputName, PROXY_VARIABLES, type RawInputs } from '../common/names.ts';
import { keepSecret, printable } from '../common/printable.ts';
import { RunnerFileError, runnerFileFailure, urlUserinfo } from '../common/user-errors.ts';

const SECRET_INPUTS: readonly InputName[] = [Input.SubscriptionKey, Input.AccessToken, Input.GithubToken];
// Inputs that hold URLs, whose user name and password (refused, but typed all the same) are secrets.
const URL_INPUTS: readonly InputName[] = [
  Input.Endpoint,
  Input.JobId,
  Input.OperationLocation,
  Input.AuthorityHost,
];

/** A workflow command's value, escaped as the runner unescapes it. */
function commandValue(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Masks `secret` in the runner's log, and keeps it for redact(). */
export function maskSecret(secret: string): void {
  if (!secret) return;
  process.stdout.write(`::add-mask::${commandValue(secret)}${EOL}`);
  keepSecret(secret);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Reads every input (as core.getInput does); secrets, and a proxy's credentials, are masked before anything else can print them. */
export function readInputs(): RawInputs {
  const raw = Object.fromEntries(
    Object.values(Input).map((name) => [name, (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim()]),
  ) as RawInputs;
  for (const name of SECRET_INPUTS) {
    if (raw[name]) maskSecret(raw[name]);
  }
  for (const name of URL_INPUTS) {
    for (const userinfo of urlUserinfo(raw[name])) maskSecret(userinfo);
  }
  // A proxy's user name and password, as written and as sent (percent-decoded).
  for (const name of PROXY_VARIABLES.flatMap((variable) => [variable.toLowerCase(), variable])) {
    const value = process.env[name] ?? '';
    for (const userinfo of urlUserinfo(value.includes('://') ? value : `http://${value}`)) {
      maskSecret(userinfo);
      maskSecret(safeDecode(userinfo));
    }
  }
  return raw;
}

/** A line in the step's log. */
export function info(message: string): void {
  process.stdout.write(`${printable(message)}${EOL}`);
}

/**
 * Saves what the post step reads; a GITHUB_STATE that cannot be written is a RunnerFileError. A run
 * outside a runner has no GITHUB_STATE, and no post step.
 */
export function saveState(name: string, value: string): void {
  try {
    appendFileCommands('GITHUB_STATE', { [name]: value });
  } catch (error) {
    throw new RunnerFileError(
      `Could not write the runner's state file, GITHUB_STATE (${runnerFileFailure(error)}): check the runner's GITHUB_STATE file`,
    );
  }
}

/**
 * Calls `listener` once when the runner cancels the step: it sends SIGINT, then SIGTERM 7.5 s later,
 * then kills the process 2.5 s after that.
 */
export function onRunnerCancel(listener: (signal: string) => void): void {
  let notified = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (notified) return;
      notified = true;
      listener(signal);
    });
  }
}

/** Where the runner hands out the workflow's OIDC token, when the job has one (see oidcTokenService). */
export function oidcTokenUrl(): string | undefined {
  return process.env.ACTIONS_ID_TOKEN_REQUEST_URL || undefined;
}

/**
 * Where the runner hands out the workflow's OIDC token, and the token that asks for it (masked);
 * undefined when the job has none (no `permissions: id-token: write`, or a pull request from a fork).
 */
export function oidcTokenService(): { url: string; token: string } | undefined {
  const url = oidcTokenUrl();
  const token = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !token) return undefined;
  maskSecret(token);
  return { url, token };
}
