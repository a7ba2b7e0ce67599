/** @module The inbox: complaints newest first, filtered, live, with the open one beside them. */
export { Inbox } from './Inbox'
