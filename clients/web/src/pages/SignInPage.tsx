import { useApolloClient, useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { resetForNewUser } from '../apollo.js';
import { guestCart, MergeCart } from '../cart.js';
import { describeError } from '@shop/client-core';
import { graphql } from '../gql/index.js';
import { session } from '../session.js';

const SignIn = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      accessToken
      refreshToken
      user {
        id
        email
        name
      }
    }
  }
`);

const SignUp = graphql(`
  mutation SignUp($input: RegisterInput!) {
    register(input: $input) {
      accessToken
      refreshToken
      user {
        id
        email
        name
      }
    }
  }
`);

/** Where to go after signing in: only a path on this site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [login, signingIn] = useMutation(SignIn);
  const [register, signingUp] = useMutation(SignUp);
  const [failure, setFailure] = useState<{ form: 'in' | 'up'; message: string } | null>(null);

  const finish = async (auth: Parameters<typeof session.signIn>[0]) => {
    await session.signIn(auth);
    await resetForNewUser();
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
    try {
      const result = await login({ variables: { email: String(form.get('email')), password: String(form.get('password')) } });
      if (result.data) await finish(result.data.login);
    } catch (e) {
      const { code, message } = describeError(e);
      setFailure({ form: 'in', message: code === 'UNAUTHENTICATED' ? 'That email and password do not match an account.' : message });
    }
  };
  const onSignUp = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    try {
      const result = await register({ variables: { input: { name: name || null, email: String(form.get('email')), password: String(form.get('password')) } } });
      if (result.data) await finish(result.data.register);
    } catch (e) {
      setFailure({ form: 'up', message: describeError(e).message });
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
        <button type="submit" className="primary" disabled={signingIn.loading} data-testid="sign-in-submit">
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
        <button type="submit" className="primary" disabled={signingUp.loading} data-testid="sign-up-submit">
          Create account
        </button>
      </form>
    </div>
  );
}
