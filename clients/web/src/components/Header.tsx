import { useQuery } from '@apollo/client/react';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { resetForNewUser } from '../apollo.js';
import { useCart } from '../cart.js';
import { useCurrency, useSetCurrency } from '../currency.js';
import { CURRENCIES, errorMessage, plural } from '@shop/client-core';
import { graphql } from '../gql/index.js';
import { auth, session, useSession } from '../session.js';

export const CategoriesQuery = graphql(`
  query Categories {
    categories {
      id
      name
      slug
      parent {
        id
      }
    }
  }
`);

/** The search box shows the query of the results on screen, and is empty on every other page. */
function SearchBox() {
  const location = useLocation();
  const navigate = useNavigate();
  const onBrowse = location.pathname === '/' || location.pathname.startsWith('/category/');
  const current = onBrowse ? (new URLSearchParams(location.search).get('q') ?? '') : '';
  const [text, setText] = useState(current);
  useEffect(() => setText(current), [current]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    navigate(q ? `/?q=${encodeURIComponent(q)}` : '/');
  };
  return (
    <form className="search" role="search" onSubmit={submit}>
      <label htmlFor="search-input" className="visually-hidden">
        Search products
      </label>
      <input id="search-input" type="search" name="q" placeholder="Search products" value={text} onChange={(e) => setText(e.target.value)} data-testid="search-input" />
      <button type="submit" data-testid="search-submit" aria-label="Search">
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.5">
          <circle cx="10.5" cy="10.5" r="6.5" />
          <path d="m15.5 15.5 5 5" strokeLinecap="round" />
        </svg>
      </button>
    </form>
  );
}

function CartLink() {
  const { cart } = useCart();
  const count = cart?.itemCount ?? 0;
  return (
    <Link to="/cart" className="cart-link" data-testid="cart-link" aria-label={`Cart, ${plural(count, 'item', 'items')}`}>
      Cart <span className="badge" data-testid="cart-count">{count}</span>
    </Link>
  );
}

/** The currency prices are shown in; a failure to save it is said next to it. */
function CurrencyPicker() {
  const currency = useCurrency();
  const [setCurrency, saving] = useSetCurrency();
  const [failure, setFailure] = useState<string | null>(null);
  const change = (code: string) => {
    setFailure(null);
    setCurrency(code).catch((e: unknown) => setFailure(errorMessage(e)));
  };
  return (
    <>
      <label className="currency">
        <span className="visually-hidden">Currency</span>
        <select value={currency} disabled={saving.loading} onChange={(e) => change(e.target.value)} data-testid="currency-select">
          {CURRENCIES.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </select>
      </label>
      {failure ? (
        <span className="state error" role="alert" data-testid="currency-error">
          {failure}
        </span>
      ) : null}
    </>
  );
}

function AccountMenu() {
  const { user } = useSession();
  const navigate = useNavigate();
  if (!user) {
    return (
      <Link to="/signin" data-testid="sign-in-link">
        Sign in
      </Link>
    );
  }
  const signOut = async () => {
    // Revoke the session on the server (and its cookie); signing out locally must not wait for it to work.
    await auth.logout().catch(() => undefined);
    await session.signOut();
    await resetForNewUser();
    navigate('/');
  };
  return (
    <>
      <NavLink to="/wishlist" data-testid="wishlist-link">
        Wishlist
      </NavLink>
      <NavLink to="/orders" data-testid="orders-link">
        My orders
      </NavLink>
      <NavLink to="/account" data-testid="account-link" title={user.email}>
        <span className="visually-hidden">Account of </span>
        <span data-testid="account-email" className="account-email">
          {user.email}
        </span>
      </NavLink>
      <button type="button" className="link" onClick={() => void signOut()} data-testid="sign-out">
        Sign out
      </button>
    </>
  );
}

function CategoryNav() {
  const { data } = useQuery(CategoriesQuery);
  const top = (data?.categories ?? []).filter((c) => !c.parent);
  if (top.length === 0) return null;
  return (
    <nav className="categories" aria-label="Categories">
      <ul>
        {top.map((category) => (
          <li key={category.id}>
            <NavLink to={`/category/${encodeURIComponent(category.slug)}`} data-testid="category-link">
              {category.name}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Header() {
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="bar">
        <Link to="/" className="brand" data-testid="home-link">
          Shop
        </Link>
        <SearchBox />
        <nav className="account" aria-label="Account">
          <CurrencyPicker />
          <CartLink />
          <AccountMenu />
        </nav>
      </div>
      <CategoryNav />
    </header>
  );
}
