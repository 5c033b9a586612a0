// The GitHub runner's interface: the only module that imports @actions/core. Inputs are read and
// secrets masked here; outputs, log lines and annotations leave from here.
import * as core from '@actions/core';
import { inertText } from '../common/html.ts';
import { Input, type InputName, type Outputs, PROXY_VARIABLES, type RawInputs } from '../common/names.ts';
import { describeBug, RunnerFileError, urlUserinfo } from '../common/user-errors.ts';

const SECRET_INPUTS: readonly InputName[] = [Input.SubscriptionKey, Input.AccessToken, Input.GithubToken];
// Inputs that hold URLs, whose user name and password (refused, but typed all the same) are secrets.
const URL_INPUTS: readonly InputName[] = [
  Input.Endpoint,
  Input.JobId,
  Input.OperationLocation,
  Input.AuthorityHost,
];

// Also redacted here, in every form the action writes text in (plain, inside JSON, inside HTML),
// so that a secret the service echoes is not written even where the runner masks nothing: the
// outputs, the job summary, the pull request comment, local runs.
const secrets: string[] = [];

export function maskSecret(secret: string): void {
  if (!secret) return;
  core.setSecret(secret);
  secrets.push(secret, JSON.stringify(secret).slice(1, -1), inertText(secret));
}

/** The text with every secret the step knows replaced by `***`. */
export function redact(text: string): string {
  return secrets.reduce((line, secret) => line.replaceAll(secret, '***'), text);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Reads every input; secrets, and a proxy's credentials, are masked before anything else can print them. */
export function readInputs(): RawInputs {
  const raw = Object.fromEntries(
    Object.values(Input).map((name) => [name, core.getInput(name)]),
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

/**
 * Makes text from the service or the user safe to print: one line, no control characters, never
 * starting with `::`, and with no `##[` anywhere (the runner obeys both as workflow commands; the
 * older `##[command]` form wherever it stands in a line): a word joiner goes between the two `#`.
 */
function printable(text: string): string {
  const line = redact(text)
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replaceAll('##[', '#\u2060#[')
    .trim();
  return line.startsWith('::') ? `: ${line.slice(1)}` : line;
}

export function info(message: string): void {
  core.info(printable(message));
}

/** Why a runner's file could not be written, as its error code (EISDIR) or the reason. */
function fileFailure(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? (message?.startsWith('Missing file') ? 'no such file' : (message ?? String(error)));
}

/** Writes the step's outputs; a GITHUB_OUTPUT that cannot be written fails the step in one line. */
export function writeOutputs(outputs: Outputs): void {
  try {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, redact(value));
  } catch (error) {
    fail(
      `Could not write the step's outputs to GITHUB_OUTPUT (${fileFailure(error)}): later steps cannot read them; the log holds the results. Check the runner's GITHUB_OUTPUT file.`,
    );
  }
}

/** Log lines between start and end fold into one group in the step's log. */
export function startGroup(title: string): void {
  core.startGroup(printable(title));
}

export function endGroup(): void {
  core.endGroup();
}

export function notice(message: string): void {
  core.notice(printable(message));
}

export function warn(message: string): void {
  core.warning(printable(message));
}

export function fail(message: string): void {
  core.setFailed(printable(message));
}

export function debug(message: string): void {
  core.debug(printable(message));
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

/**
 * Where the runner hands out the workflow's OIDC token, and the token that asks for it (masked);
 * undefined when the job has none (no `permissions: id-token: write`, or a pull request from a fork).
 */
export function oidcTokenService(): { url: string; token: string } | undefined {
  const url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const token = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !token) return undefined;
  maskSecret(token);
  return { url, token };
}

/**
 * Appends to the job summary; without GITHUB_STEP_SUMMARY (a local run) there is none to write.
 * The summary is a report, not the result: a failure to write it is one warning, never a crash.
 */
export async function writeSummary(html: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(redact(html), true).write();
  } catch (error) {
    const code = (error as { code?: string }).code;
    warn(
      `Could not write the job summary to GITHUB_STEP_SUMMARY${code ? ` (${code})` : ''}: the outputs and the log hold the results.`,
    );
  }
}

/** Saves what the post step reads; a GITHUB_STATE that cannot be written is a RunnerFileError. */
export function saveState(name: string, value: string): void {
  try {
    core.saveState(name, value);
  } catch (error) {
    throw new RunnerFileError(
      `Could not write the runner's state file, GITHUB_STATE (${fileFailure(error)}): check the runner's GITHUB_STATE file`,
    );
  }
}

/**
 * The last resort, for an error nothing else caught: one `::error::` line that asks for a report,
 * never a stack trace or a line of the bundle.
 */
export function reportBug(error: unknown): void {
  fail(describeBug(error));
}
