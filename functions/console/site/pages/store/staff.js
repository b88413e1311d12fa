// The store's team (staff.manage): members and their roles, removal, invitations by email, revoking them.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { dateTime, label } from "../../lib/format.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Badge, Button, Card, Confirm, ErrorNotice, Field, Loading, PageHeader, toast, useAsync, useForm } from "../../lib/ui.js";

const ROLES = [
  { value: "staff", label: "Staff: orders, catalog, reviews" },
  { value: "admin", label: "Admin: also refunds, coupons, settings, staff, revenue" },
];

// What a role change does to the person, said before it is made: it takes effect on their next request.
const ROLE_CHANGE = {
  admin: "They will also refund orders, manage coupons, settings and staff, and see the store's revenue.",
  staff: "They will keep orders, the catalog and reviews, and lose refunds, coupons, settings, staff and revenue.",
};

// A request from a row's button: busy while it runs, the API's message when it fails.
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (action) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (problem) {
      setError(problem);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function MemberRow({ storeId, member, onChanged }) {
  const change = useAction();
  const remove = useAction();
  const [confirming, setConfirming] = useState(false);
  // The role chosen in the list and waiting for its confirmation; null: the select shows the member's role.
  const [asked, setAsked] = useState(null);
  const shown = asked || member.role;
  const owner = member.role === "owner";
  const memberApi = `${storeApi(storeId)}/staff/${encodeURIComponent(member.id)}`;
  return html`<tr>
    <td>${member.email || member.id}</td>
    <td>
      ${owner
        ? html`<${Badge} value="owner" tone="good" />`
        : html`<div class="st-inline-select">
            <label class="visually-hidden" for=${`role-${member.id}`}>Role of ${member.email}</label>
            <select id=${`role-${member.id}`} value=${shown} disabled=${change.busy} onChange=${(e) => {
              const role = e.currentTarget.value;
              if (role !== member.role) setAsked(role);
            }}>
              ${ROLES.map((r) => html`<option value=${r.value} selected=${r.value === shown}>${label(r.value)}</option>`)}
            </select>
            ${change.busy ? html`<span class="spinner" aria-label="Saving"></span>` : null}
          </div>
          <${Confirm} open=${!!asked} title=${`Make ${member.email} ${asked === "admin" ? "an admin" : "staff"}?`}
            confirmLabel=${asked === "admin" ? "Make admin" : "Make staff"} kind="primary" busy=${change.busy}
            onCancel=${() => !change.busy && setAsked(null)}
            onConfirm=${async () => {
              const role = asked;
              if (await change.run(() => api("PATCH", memberApi, { body: { role } }))) {
                setAsked(null);
                toast(`${member.email} is now ${label(role).toLowerCase()}`);
                onChanged();
              }
            }}>
            <p>${ROLE_CHANGE[asked] || ""}</p>
            <${ErrorNotice} error=${change.error} />
          <//>`}
    </td>
    <td>
      ${owner
        ? html`<span class="muted">The owner stays</span>`
        : html`<${Button} kind="secondary" class="button button-secondary button-small" aria-label=${`Remove ${member.email}`} onClick=${() => setConfirming(true)}>Remove<//>
          <${Confirm} open=${confirming} title=${`Remove ${member.email}?`} confirmLabel="Remove from the store" busy=${remove.busy}
            onCancel=${() => setConfirming(false)}
            onConfirm=${async () => {
              if (await remove.run(() => api("DELETE", memberApi))) {
                setConfirming(false);
                toast(`${member.email} removed`);
                onChanged();
              }
            }}>
            <p>They lose access to this store at once. You can invite them again later.</p>
            <${ErrorNotice} error=${remove.error} />
          <//>`}
    </td>
  </tr>`;
}

function InvitationRow({ storeId, invitation, onChanged }) {
  const revoke = useAction();
  return html`<tr>
    <td>${invitation.email}</td>
    <td>${label(invitation.role)}</td>
    <td>${dateTime(invitation.expires_at)}</td>
    <td>
      <${Button} kind="secondary" class="button button-secondary button-small" busy=${revoke.busy} aria-label=${`Revoke the invitation of ${invitation.email}`}
        onClick=${async () => {
          if (await revoke.run(() => api("DELETE", `${storeApi(storeId)}/invitations/${encodeURIComponent(invitation.id)}`))) {
            toast(`Invitation of ${invitation.email} revoked`);
            onChanged();
          }
        }}>Revoke<//>
      <${ErrorNotice} error=${revoke.error} />
    </td>
  </tr>`;
}

function InviteForm({ storeId, onInvited }) {
  const form = useForm({ email: "", role: "staff" });
  const invite = form.submit(async (values) => {
    const made = await api("POST", `${storeApi(storeId)}/invitations`, { body: { email: values.email.trim(), role: values.role } });
    toast(`Invitation sent to ${made.email}`);
    form.setValues({ email: "", role: values.role });
    onInvited();
  });
  return html`<${Card} title="Invite someone">
    <form onSubmit=${invite} novalidate class="st-form">
      <${ErrorNotice} error=${form.error} />
      <div class="row">
        <${Field} label="Email" type="email" required autocomplete="off" ...${form.bind("email")} />
        <${Field} label="Role" as="select" options=${ROLES} ...${form.bind("role")} />
      </div>
      <${Button} type="submit" busy=${form.busy}>Send invitation<//>
      <p class="hint">They get an email with a code to join; it works for a few days.</p>
    </form>
  <//>`;
}

export function Staff() {
  const { store } = useStore();
  const team = useAsync(() => api("GET", `${storeApi(store.id)}/staff`), [store.id]);
  const t = team.data;
  return html`<${PageHeader} title="Staff" subtitle="Who works in this store, and what each may do." />
    <${ErrorNotice} error=${team.error} />
    ${team.loading && !t ? html`<${Loading} />` : null}
    ${t
      ? html`<div class="split st-split">
          <div>
            <${Card} title="Team">
              <div class="table-wrap">
                <table>
                  <thead><tr><th scope="col">Member</th><th scope="col">Role</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                  <tbody>${t.members.map((m) => html`<${MemberRow} key=${m.id} storeId=${store.id} member=${m} onChanged=${team.reload} />`)}</tbody>
                </table>
              </div>
            <//>
            <${Card} title="Invitations waiting">
              ${t.invitations.length
                ? html`<div class="table-wrap">
                    <table>
                      <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                      <tbody>${t.invitations.map((i) => html`<${InvitationRow} key=${i.id} storeId=${store.id} invitation=${i} onChanged=${team.reload} />`)}</tbody>
                    </table>
                  </div>`
                : html`<p class="muted">No invitation is waiting.</p>`}
            <//>
          </div>
          <${InviteForm} storeId=${store.id} onInvited=${team.reload} />
        </div>`
      : null}`;
}
