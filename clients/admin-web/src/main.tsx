import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { client } from './apollo.js';
import { App } from './App.js';
import { session } from './session.js';
import './styles.css';

// The session comes back from the server's cookie first, so a reload keeps the admin signed in
// instead of flashing the sign-in form (one same-origin request; signed out or offline: the form).
void session.restore().finally(() =>
  createRoot(document.getElementById('app')!).render(
    <StrictMode>
      <ApolloProvider client={client}>
        <App />
      </ApolloProvider>
    </StrictMode>,
  ),
);
