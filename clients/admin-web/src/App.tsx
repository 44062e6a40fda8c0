import { useState, type FormEvent, type ReactNode } from 'react';
import { BrowserRouter, NavLink, Navigate, Route, Routes, useNavigate } from 'react-router';
import { describeError } from '@shop/client-core';
import { resetForNewUser } from './apollo.js';
import { CurrenciesPage } from './pages/CurrenciesPage.js';
import { OrderDetailPage } from './pages/OrderDetailPage.js';
import { OrdersPage } from './pages/OrdersPage.js';
import { ProductsPage } from './pages/ProductsPage.js';
import { PromotionsPage } from './pages/PromotionsPage.js';
import { SalesPage } from './pages/SalesPage.js';
import { UsersPage } from './pages/UsersPage.js';
import { auth, session, useSession } from './session.js';

const NOT_ADMIN = 'This account is not an administrator: the dashboard is for administrators only.';

function SignIn() {
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const navigate = useNavigate();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    const form = new FormData(event.currentTarget);
    setLoading(true);
    try {
      const signedIn = await auth.login(String(form.get('email')), String(form.get('password')));
      // The server gives customers no session here (FORBIDDEN); an answer without the role is refused too.
      if (signedIn.user.role !== 'ADMIN') return setFailure(NOT_ADMIN);
      await session.signIn(signedIn);
      await resetForNewUser();
      navigate('/orders');
    } catch (e) {
      const { code, message } = describeError(e);
      setFailure(code === 'UNAUTHENTICATED' ? 'That email and password do not match an account.' : code === 'FORBIDDEN' ? NOT_ADMIN : message);
    } finally {
      setLoading(false);
    }
  };
  return (
    <main id="main" className="signin">
      <form className="panel stack" onSubmit={(e) => void submit(e)} aria-labelledby="signin-heading">
        <h1 id="signin-heading">Shop admin</h1>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required data-testid="admin-email" />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required data-testid="admin-password" />
        </label>
        {failure ? (
          <p className="error" role="alert" data-testid="error">
            {failure}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={loading} data-testid="admin-sign-in">
          Sign in
        </button>
      </form>
    </main>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const navigate = useNavigate();
  const signOut = async () => {
    // Revoke the session on the server (and its cookie); signing out here must not wait for it to work.
    await auth.logout().catch(() => undefined);
    await session.signOut();
    await resetForNewUser();
    navigate('/');
  };
  return (
    <div className="shell">
      <header className="top">
        <strong className="brand">Shop admin</strong>
        <nav aria-label="Sections">
          <NavLink to="/orders" data-testid="nav-orders">Orders</NavLink>
          <NavLink to="/products" data-testid="nav-products">Products</NavLink>
          <NavLink to="/promotions" data-testid="nav-promotions">Promotions</NavLink>
          <NavLink to="/users" data-testid="nav-users">Users</NavLink>
          <NavLink to="/currencies" data-testid="nav-currencies">Currencies</NavLink>
          <NavLink to="/sales" data-testid="nav-sales">Sales</NavLink>
        </nav>
        <span className="who" title={user?.email}>
          {user?.email}
        </span>
        <button type="button" className="link" onClick={() => void signOut()} data-testid="admin-sign-out">
          Sign out
        </button>
      </header>
      <main id="main">{children}</main>
    </div>
  );
}

export function App() {
  const { accessToken } = useSession();
  return (
    <BrowserRouter>
      {accessToken ? (
        <Shell>
          <Routes>
            <Route path="/" element={<Navigate to="/orders" replace />} />
            <Route path="/orders" element={<OrdersPage />} />
            <Route path="/orders/:id" element={<OrderDetailPage />} />
            <Route path="/products" element={<ProductsPage />} />
            <Route path="/promotions" element={<PromotionsPage />} />
            <Route path="/users" element={<UsersPage />} />
            <Route path="/currencies" element={<CurrenciesPage />} />
            <Route path="/sales" element={<SalesPage />} />
            <Route path="*" element={<p>There is no such page.</p>} />
          </Routes>
        </Shell>
      ) : (
        <Routes>
          <Route path="*" element={<SignIn />} />
        </Routes>
      )}
    </BrowserRouter>
  );
}
