import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Navigate } from 'react-router';
import { AddressForm, AddressFields, addressLine } from '../components/AddressForm.js';
import { ErrorNotice, Loading } from '../components/States.js';
import { errorMessage } from '@shop/client-core';
import { graphql, useFragment } from '../gql/index.js';
import { useSession } from '../session.js';

export const AccountQuery = graphql(`
  query Account {
    me {
      id
      email
      name
      preferences {
        locale
        marketingOptIn
      }
      addresses {
        ...AddressFields
      }
    }
  }
`);

const UpdateProfile = graphql(`
  mutation UpdateProfile($name: String) {
    updateProfile(name: $name) {
      id
      name
    }
  }
`);

const UpdatePreferences = graphql(`
  mutation UpdatePreferences($input: PreferencesInput!) {
    updatePreferences(input: $input) {
      locale
      marketingOptIn
    }
  }
`);

const SetDefaultAddress = graphql(`
  mutation SetDefaultAddress($id: ID!) {
    setDefaultAddress(id: $id) {
      id
    }
  }
`);

const RemoveAddress = graphql(`
  mutation RemoveAddress($id: ID!) {
    removeAddress(id: $id)
  }
`);

const ChangePassword = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

// The locales Preferences.locale accepts (users subgraph), named in their own language.
const LOCALES = ['en-GB', 'en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL'];
const localeName = (tag: string) => new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;

/** A form's outcome, announced next to it. */
function Outcome({ state }: { state: { ok: boolean; message: string } | null }) {
  if (!state) return null;
  return (
    <p className={state.ok ? 'note' : 'state error'} role={state.ok ? 'status' : 'alert'}>
      {state.message}
    </p>
  );
}

export function AccountPage() {
  const { accessToken } = useSession();
  const { data, loading, error, refetch } = useQuery(AccountQuery, { skip: !accessToken });
  const refetchAccount = { refetchQueries: [AccountQuery] };
  const [updateProfile] = useMutation(UpdateProfile);
  const [updatePreferences] = useMutation(UpdatePreferences, refetchAccount);
  const [setDefault] = useMutation(SetDefaultAddress, refetchAccount);
  const [removeAddress] = useMutation(RemoveAddress, refetchAccount);
  const [changePassword] = useMutation(ChangePassword);
  const [outcome, setOutcome] = useState<Record<string, { ok: boolean; message: string } | null>>({});
  const [adding, setAdding] = useState(false);
  const addresses = useFragment(AddressFields, data?.me?.addresses ?? []);

  if (!accessToken) return <Navigate to="/signin?next=/account" replace />;
  if (loading && !data) return <Loading label="Loading your account…" />;
  if (error && !data) return <ErrorNotice error={error} retry={() => void refetch()} />;
  const me = data?.me;
  if (!me) return <Navigate to="/signin?next=/account" replace />;

  const run = async (key: string, action: () => Promise<unknown>, done: string) => {
    setOutcome((o) => ({ ...o, [key]: null }));
    try {
      await action();
      setOutcome((o) => ({ ...o, [key]: { ok: true, message: done } }));
    } catch (e) {
      setOutcome((o) => ({ ...o, [key]: { ok: false, message: errorMessage(e) } }));
    }
  };
  const saveProfile = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    void run('profile', () => updateProfile({ variables: { name: name || null } }), 'Name saved.');
  };
  const savePreferences = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { locale: String(form.get('locale')), marketingOptIn: form.get('marketingOptIn') === 'on' };
    void run('preferences', () => updatePreferences({ variables: { input } }), 'Preferences saved.');
  };
  const savePassword = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    void run(
      'password',
      async () => {
        await changePassword({ variables: { currentPassword: String(form.get('current')), newPassword: String(form.get('next')) } });
        target.reset();
      },
      'Password changed.',
    );
  };

  return (
    <section className="account-page" data-testid="account-page">
      <h1>Your account</h1>
      <p className="muted" data-testid="account-page-email">
        Signed in as {me.email}
      </p>
      <form className="panel stack" onSubmit={saveProfile} aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <label>
          Name
          <input name="name" defaultValue={me.name ?? ''} maxLength={100} autoComplete="name" data-testid="profile-name" />
        </label>
        <Outcome state={outcome.profile ?? null} />
        <button type="submit" data-testid="profile-save">
          Save name
        </button>
      </form>
      <form className="panel stack" onSubmit={savePreferences} aria-labelledby="preferences-heading" data-testid="preferences-form">
        <h2 id="preferences-heading">Preferences</h2>
        <label>
          Language and number format
          <select name="locale" defaultValue={me.preferences.locale} data-testid="preferences-locale">
            {LOCALES.map((tag) => (
              <option key={tag} value={tag}>
                {localeName(tag)}
              </option>
            ))}
          </select>
        </label>
        <label className="choice">
          <input type="checkbox" name="marketingOptIn" defaultChecked={me.preferences.marketingOptIn} data-testid="preferences-marketing" />
          <span>Send me offers and news by e-mail</span>
        </label>
        <Outcome state={outcome.preferences ?? null} />
        <button type="submit" data-testid="preferences-save">
          Save preferences
        </button>
      </form>
      <section className="panel stack" aria-labelledby="addresses-heading">
        <h2 id="addresses-heading">Addresses</h2>
        {addresses.length === 0 ? <p className="muted">No saved addresses yet.</p> : null}
        <ul className="address-list">
          {addresses.map((a) => (
            <li key={a.id} data-testid="saved-address">
              <span>
                {addressLine(a)}
                {a.isDefault ? <strong> (default)</strong> : null}
              </span>
              {!a.isDefault ? (
                <button type="button" className="link" onClick={() => void run('addresses', () => setDefault({ variables: { id: a.id } }), 'Default address changed.')}>
                  Make default
                </button>
              ) : null}
              <button type="button" className="link" onClick={() => void run('addresses', () => removeAddress({ variables: { id: a.id } }), 'Address removed.')}>
                Remove<span className="visually-hidden"> {addressLine(a)}</span>
              </button>
            </li>
          ))}
        </ul>
        <Outcome state={outcome.addresses ?? null} />
        {adding ? (
          <AddressForm defaultName={me.name ?? ''} onSaved={() => setAdding(false)} />
        ) : (
          <button type="button" onClick={() => setAdding(true)} data-testid="add-address">
            Add an address
          </button>
        )}
      </section>
      <form className="panel stack" onSubmit={savePassword} aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <label>
          Current password
          <input name="current" type="password" autoComplete="current-password" required />
        </label>
        <label>
          New password
          <input name="next" type="password" autoComplete="new-password" minLength={8} required />
        </label>
        <Outcome state={outcome.password ?? null} />
        <button type="submit">Change password</button>
      </form>
    </section>
  );
}
