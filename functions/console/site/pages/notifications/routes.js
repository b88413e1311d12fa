// The operator's own inbox in this store and which kinds they get. Any member may read their own (store.read);
// the top bar's bell (bell.js, in pages/layout.js) links here. No sidebar entry: the bell is the way in.
import { Inbox } from "./inbox.js";
import { Preferences } from "./preferences.js";

const INBOX = "/s/:store/notifications";

export const routes = [
  { path: INBOX, view: Inbox, title: "Notifications", permission: "store.read" },
  { path: `${INBOX}/preferences`, view: Preferences, title: "Notification preferences", permission: "store.read", section: INBOX },
];
