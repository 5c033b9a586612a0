// What the main step leaves for the post step, written and read here: that a post step follows, and the
// batches guard mode watches. The main step saves through the runner (runner-start.ts's saveState,
// passed in); the post step reads the STATE_<name> variables the runner sets from it, which needs
// nothing else, so a post step with nothing to do exits before loading the rest. A state file that
// cannot be written stops the main step before it sends anything, saying what that costs.

import { RunnerFileError } from '../common/user-errors.ts';

const IS_POST = 'isPost';
// The state's name, as the runner keeps it between the two steps.
const GUARDED_BATCHES = 'guardedJobs';

type SaveState = (name: string, value: string) => void;

/** Saves `value`; a failure says what it costs, and that nothing was sent. */
function saveOrStop(save: SaveState, name: string, value: string, cost: string): void {
  try {
    save(name, value);
  } catch (error) {
    if (!(error instanceof RunnerFileError)) throw error;
    throw new RunnerFileError(`${error.message}. ${cost}, so the step sent nothing.`);
  }
}

/** The main step: marks that the process the runner starts after the job is the post step. */
export function markPostStepNext(save: SaveState): void {
  saveOrStop(
    save,
    IS_POST,
    'true',
    'Without it the post step could not tell itself from this step: it would send the same requests again, and guard mode could not guard',
  );
}

/** Guard mode's main step: the batches its post step is to cancel if they are still running. */
export function saveGuardedBatches(save: SaveState, ids: readonly string[]): void {
  saveOrStop(
    save,
    GUARDED_BATCHES,
    JSON.stringify(ids),
    'Without it the post step cannot know the batches to guard',
  );
}

function isPostStep(): boolean {
  return process.env[`STATE_${IS_POST}`] === 'true';
}

/** Which step this process is: the main step, guard mode's post step, or a post step with nothing to do. */
export function stepToRun(): 'main' | 'post' | 'none' {
  if (!isPostStep()) return 'main';
  return guardedBatches().length > 0 ? 'post' : 'none';
}

/** The batches guard mode's main step recorded, for its post step. */
export function guardedBatches(): string[] {
  const saved = process.env[`STATE_${GUARDED_BATCHES}`];
  return saved ? (JSON.parse(saved) as string[]) : [];
}
