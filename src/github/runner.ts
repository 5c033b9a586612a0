// The runner's side of the rest of the step, through @actions/core (the only module that imports
// it): annotations, groups and debug lines; and the outputs and the job summary, written as core
// writes them. It loads while the step's first request is on its way; what comes before that
// request (the inputs, the masks, plain log lines, the post step's state) is github/runner-start.ts.
import { accessSync, appendFileSync, constants } from 'node:fs';
import { EOL } from 'node:os';
import * as core from '@actions/core';
import { appendFileCommands } from '../common/file-commands.ts';
import type { Outputs } from '../common/names.ts';
import { printable, redact } from '../common/printable.ts';
import { describeBug, runnerFileFailure } from '../common/user-errors.ts';

/**
 * Writes the step's outputs, all in one write (core.setOutput appends each on its own, with a
 * delimiter from node:crypto); a GITHUB_OUTPUT that cannot be written fails the step in one line.
 */
export function writeOutputs(outputs: Outputs): void {
  const redacted = Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, redact(value)]));
  // Outside a runner (a run by hand, @github/local-action) there is no GITHUB_OUTPUT: core says them
  // in the log, and local-action shows them.
  if (!process.env.GITHUB_OUTPUT) {
    for (const [name, value] of Object.entries(redacted)) core.setOutput(name, value);
    return;
  }
  try {
    appendFileCommands('GITHUB_OUTPUT', redacted);
  } catch (error) {
    fail(
      `Could not write the step's outputs to GITHUB_OUTPUT (${runnerFileFailure(error)}): later steps cannot read them; the log holds the results. Check the runner's GITHUB_OUTPUT file.`,
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
 * Appends to the job summary; without GITHUB_STEP_SUMMARY (a local run) there is none to write.
 * The summary is a report, not the result: a failure to write it is one warning, never a crash.
 * Written as core.summary writes it (a file the runner made, appended to, a line end after it),
 * but synchronously: core.summary goes through fs.promises, whose loading (node:fs/promises,
 * node:readline) cost about 5 ms of a start (see scripts/stand-ins.ts).
 */
export function writeSummary(html: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
    appendFileSync(file, `${redact(html)}${EOL}`);
  } catch (error) {
    // A file it cannot reach is said without a code, as core.summary said it; a failed write with one.
    const { code, syscall } = error as { code?: string; syscall?: string };
    warn(
      `Could not write the job summary to GITHUB_STEP_SUMMARY${code && syscall !== 'access' ? ` (${code})` : ''}: the outputs and the log hold the results.`,
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
