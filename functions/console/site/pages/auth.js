// Signing in and everything before it: log in, sign up, verify, forgot and reset password, accept invitation.
import { html, useState } from "../vendor/preact-htm.js";
import { ApiError, api } from "../lib/api.js";
import { navigate } from "../lib/router.js";
import { session } from "../lib/session.js";
import { Alert, Button, ErrorNotice, Field, useForm } from "../lib/ui.js";

function AuthFrame({ title, intro, children, footer }) {
  return html`<div class="auth">
    <main id="main" class="auth-card" tabindex="-1">
      <p class="brand brand-large">Nozzly</p>
      <h1 id="page-title" tabindex="-1">${title}</h1>
      ${intro ? html`<p class="subtitle">${intro}</p>` : null}
      ${children}
      ${footer ? html`<div class="auth-footer">${footer}</div>` : null}
    </main>
  </div>`;
}

// Only paths inside the console: a `next` from a link can never send the operator elsewhere.
function safeNext(next) {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

function LoginView({ query }) {
  const form = useForm({ email: query.email || "", password: "" });
  const loggedIn = form.submit(async ({ email, password }) => {
    try {
      await session.login(email, password);
    } catch (failed) {
      throw new ApiError(failed.status || 0, failed.body);
    }
    navigate(safeNext(query.next), { replace: true });
  });
  return html`<${AuthFrame}
    title="Log in"
    intro="Run your stores: orders, products, customers and settings."
    footer=${html`<a href="#/signup">Create an account</a><a href="#/forgot-password">Forgot your password?</a>`}
  >
    ${query.reason === "expired" ? html`<${Alert} kind="warning">Your session has ended. Log in again to go on where you were.<//>` : null}
    ${query.reason === "reset" ? html`<${Alert} kind="success">Your password is changed. Log in with the new one.<//>` : null}
    ${query.reason === "joined" ? html`<${Alert} kind="success">You joined ${query.store}. Log in to start.<//>` : null}
    ${query.reason === "verified" ? html`<${Alert} kind="success">Your address is confirmed. Log in to open your first store.<//>` : null}
    <${ErrorNotice} error=${form.error} />
    ${form.error && form.error.code === "email_not_confirmed"
      ? html`<p><a href=${`#/verify?email=${encodeURIComponent(form.values.email)}`}>Enter the verification code</a></p>`
      : null}
    <form onSubmit=${loggedIn} novalidate>
      <${Field} label="Email" type="email" autocomplete="username" required ...${form.bind("email")} />
      <${Field} label="Password" type="password" autocomplete="current-password" required ...${form.bind("password")} />
      <${Button} type="submit" busy=${form.busy}>Log in<//>
    </form>
  <//>`;
}

function SignupView() {
  const form = useForm({ name: "", email: "", password: "" });
  const signedUp = form.submit(async ({ name, email, password }) => {
    await api("POST", "/auth/signup", { body: { email, password, name: name || null } });
    navigate(`/verify?${new URLSearchParams({ email, sent: "1" })}`);
  });
  return html`<${AuthFrame} title="Create your account" intro="One account for all the stores you run." footer=${html`<a href="#/login">I have an account</a>`}>
    <${ErrorNotice} error=${form.error} />
    <form onSubmit=${signedUp} novalidate>
      <${Field} label="Your name" autocomplete="name" ...${form.bind("name")} />
      <${Field} label="Email" type="email" autocomplete="email" required ...${form.bind("email")} />
      <${Field} label="Password" type="password" autocomplete="new-password" required hint="At least 8 characters with upper and lower case letters and a number." ...${form.bind("password")} />
      <${Button} type="submit" busy=${form.busy}>Create account<//>
    </form>
  <//>`;
}

function VerifyView({ query }) {
  const form = useForm({ email: query.email || "", code: "" });
  const verified = form.submit(async ({ email, code }) => {
    await api("POST", "/auth/confirm", { body: { email, code } });
    navigate(`/login?${new URLSearchParams({ email, reason: "verified" })}`);
  });
  return html`<${AuthFrame} title="Confirm your email" footer=${html`<a href="#/login">Back to log in</a>`}>
    ${query.sent ? html`<${Alert} kind="success">We sent a 6-digit code to ${query.email}.<//>` : null}
    <${ErrorNotice} error=${form.error} />
    <form onSubmit=${verified} novalidate>
      <${Field} label="Email" type="email" autocomplete="email" required ...${form.bind("email")} />
      <${Field} label="Verification code" inputmode="numeric" autocomplete="one-time-code" required ...${form.bind("code")} />
      <${Button} type="submit" busy=${form.busy}>Confirm<//>
    </form>
  <//>`;
}

function ForgotView() {
  const form = useForm({ email: "" });
  const [sent, setSent] = useState(null);
  const asked = form.submit(async ({ email }) => {
    const answer = await api("POST", "/auth/forgot-password", { body: { email } });
    setSent(answer.message);
  });
  return html`<${AuthFrame} title="Reset your password" footer=${html`<a href="#/login">Back to log in</a>`}>
    <${ErrorNotice} error=${form.error} />
    ${sent
      ? html`<${Alert} kind="success">${sent}<//>
          <p><a class="button button-primary" href=${`#/reset-password?email=${encodeURIComponent(form.values.email)}`}>Enter the code</a></p>`
      : html`<form onSubmit=${asked} novalidate>
          <${Field} label="Email" type="email" autocomplete="email" required ...${form.bind("email")} />
          <${Button} type="submit" busy=${form.busy}>Send a code<//>
        </form>`}
  <//>`;
}

function ResetView({ query }) {
  const form = useForm({ email: query.email || "", code: "", new_password: "" });
  const reset = form.submit(async (values) => {
    await api("POST", "/auth/reset-password", { body: values });
    navigate(`/login?${new URLSearchParams({ email: values.email, reason: "reset" })}`);
  });
  return html`<${AuthFrame} title="Choose a new password" footer=${html`<a href="#/login">Back to log in</a>`}>
    <${ErrorNotice} error=${form.error} />
    <form onSubmit=${reset} novalidate>
      <${Field} label="Email" type="email" autocomplete="email" required ...${form.bind("email")} />
      <${Field} label="Code from the email" inputmode="numeric" autocomplete="one-time-code" required ...${form.bind("code")} />
      <${Field} label="New password" type="password" autocomplete="new-password" required ...${form.bind("new_password")} />
      <${Button} type="submit" busy=${form.busy}>Change password<//>
    </form>
  <//>`;
}

function AcceptView({ query }) {
  const form = useForm({ token: query.token || "", name: "", password: "" });
  const accepted = form.submit(async ({ token, name, password }) => {
    const answer = await api("POST", "/auth/invitations/accept", { body: { token, password, name: name || null } });
    // The answer's tokens are not kept: logging in sets the refresh cookie the console relies on.
    const next = `/s/${encodeURIComponent(answer.store.id)}`;
    navigate(`/login?${new URLSearchParams({ next, reason: "joined", store: answer.store.name })}`, { replace: true });
  });
  return html`<${AuthFrame}
    title="Join a store"
    intro="Paste the invitation code from your email. New to Nozzly? Choose a password; if you have an account, use its password."
  >
    <${ErrorNotice} error=${form.error} />
    <form onSubmit=${accepted} novalidate>
      <${Field} label="Invitation code" required ...${form.bind("token")} />
      <${Field} label="Your name" autocomplete="name" ...${form.bind("name")} />
      <${Field} label="Password" type="password" autocomplete="new-password" required ...${form.bind("password")} />
      <${Button} type="submit" busy=${form.busy}>Accept invitation<//>
    </form>
  <//>`;
}

export const routes = [
  { path: "/login", view: LoginView, title: "Log in" },
  { path: "/signup", view: SignupView, title: "Create account" },
  { path: "/verify", view: VerifyView, title: "Confirm email" },
  { path: "/forgot-password", view: ForgotView, title: "Reset password" },
  { path: "/reset-password", view: ResetView, title: "New password" },
  { path: "/invitations/accept", view: AcceptView, title: "Join a store" },
];
