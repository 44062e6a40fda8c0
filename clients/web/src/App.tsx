import { useQuery } from '@apollo/client/react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Header } from './components/Header.js';
import { Empty } from './components/States.js';
import { setDisplayLocale } from '@shop/client-core';
import { AccountPage, AccountQuery } from './pages/AccountPage.js';
import { BrowsePage } from './pages/BrowsePage.js';
import { CartPage } from './pages/CartPage.js';
import { CheckoutPage } from './pages/CheckoutPage.js';
import { OrderPage } from './pages/OrderPage.js';
import { OrdersPage } from './pages/OrdersPage.js';
import { ProductPage } from './pages/ProductPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { WishlistPage } from './pages/WishlistPage.js';
import { useSession } from './session.js';

/** The signed-in shopper's preferred locale formats money, dates and counts everywhere. */
function useDisplayLocale(): void {
  const { accessToken } = useSession();
  const { data } = useQuery(AccountQuery, { skip: !accessToken });
  setDisplayLocale(accessToken ? data?.me?.preferences.locale : undefined);
}

export function App() {
  useDisplayLocale();
  return (
    <BrowserRouter>
      <Header />
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<BrowsePage />} />
          <Route path="/category/:slug" element={<BrowsePage />} />
          <Route path="/product/:id" element={<ProductPage />} />
          <Route path="/cart" element={<CartPage />} />
          <Route path="/signin" element={<SignInPage />} />
          <Route path="/checkout" element={<CheckoutPage />} />
          <Route path="/orders" element={<OrdersPage />} />
          <Route path="/orders/:id" element={<OrderPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="/wishlist" element={<WishlistPage />} />
          <Route path="*" element={<Empty testid="not-found">There is no such page.</Empty>} />
        </Routes>
      </main>
    </BrowserRouter>
  );
}
