import { useApolloClient } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { resetForNewUser } from '../apollo.js';
import { guestCart, MergeCart } from '../cart.js';
import { keepGuestCurrency } from '../currency.js';
import { describeError, type AuthPayload } from '@shop/client-core';
import { auth, session } from '../session.js';

/** Where to go after signing in: only a path on this site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [busy, setBusy] = useState<'in' | 'up' | null>(null);
  const [failure, setFailure] = useState<{ form: 'in' | 'up'; message: string } | null>(null);

  const finish = async (signedIn: AuthPayload, newAccount = false) => {
    await session.signIn(signedIn);
    await resetForNewUser();
    if (newAccount) await keepGuestCurrency(client).catch(() => undefined);
    const guest = guestCart.id;
    if (guest) {
      // The guest cart joins the account's cart; then the guest id is dropped.
      await client.mutate({ mutation: MergeCart, variables: { guestCartId: guest } }).catch(() => undefined);
      guestCart.set(null);
    }
    navigate(safeNext(params.get('next')));
  };

  const onSignIn = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    const form = new FormData(event.currentTarget);
    setBusy('in');
    try {
      await finish(await auth.login(String(form.get('email')), String(form.get('password'))));
    } catch (e) {
      const { code, message } = describeError(e);
      setFailure({ form: 'in', message: code === 'UNAUTHENTICATED' ? 'That email and password do not match an account.' : message });
    } finally {
      setBusy(null);
    }
  };
  const onSignUp = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    setBusy('up');
    try {
      await finish(await auth.register({ name: name || null, email: String(form.get('email')), password: String(form.get('password')) }), true);
    } catch (e) {
      setFailure({ form: 'up', message: describeError(e).message });
    } finally {
      setBusy(null);
    }
  };

  const error = (form: 'in' | 'up') =>
    failure?.form === form ? (
      <p className="state error" role="alert" data-testid="error">
        {failure.message}
      </p>
    ) : null;

  return (
    <div className="auth">
      <form onSubmit={(e) => void onSignIn(e)} data-testid="sign-in-form" aria-labelledby="sign-in-heading" className="stack">
        <h1 id="sign-in-heading">Sign in</h1>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required data-testid="sign-in-email" />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required data-testid="sign-in-password" />
        </label>
        {error('in')}
        <button type="submit" className="primary" disabled={busy !== null} data-testid="sign-in-submit">
          Sign in
        </button>
      </form>
      <form onSubmit={(e) => void onSignUp(e)} data-testid="sign-up-form" aria-labelledby="sign-up-heading" className="stack">
        <h2 id="sign-up-heading">New here? Create an account</h2>
        <label>
          Name
          <input name="name" type="text" autoComplete="name" data-testid="sign-up-name" />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required data-testid="sign-up-email" />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="new-password" required aria-describedby="password-hint" data-testid="sign-up-password" />
        </label>
        <p id="password-hint" className="muted">
          At least 8 characters.
        </p>
        {error('up')}
        <button type="submit" className="primary" disabled={busy !== null} data-testid="sign-up-submit">
          Create account
        </button>
      </form>
    </div>
  );
}
