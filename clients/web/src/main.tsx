import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { client } from './apollo.js';
import { App } from './App.js';
import { session } from './session.js';
import './styles.css';

// The session comes back from the server's cookie first, so a reload of a signed-in page does
// not send the shopper to sign in (one same-origin request; offline or signed out: a guest).
void session.restore().finally(() =>
  createRoot(document.getElementById('app')!).render(
    <StrictMode>
      <ApolloProvider client={client}>
        <App />
      </ApolloProvider>
    </StrictMode>,
  ),
);

// The service worker keeps the shell and the last catalogue pages for offline visits.
registerSW({ immediate: true });
