// Sentences the tracker shows in a task's message when the API cannot give it a state to show.

/** failReason of the visible end of a task whose state the bot could not apply, try after try. */
export const UNREADABLE_TASK_REASON =
  'The bot could not read the state the Midjourney API gives for this task, so it stopped following it.';
