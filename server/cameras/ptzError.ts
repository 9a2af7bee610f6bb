/** The camera did not take a PTZ command; `message` is a sentence for the analyst. */
export class PtzSendError extends Error {}
