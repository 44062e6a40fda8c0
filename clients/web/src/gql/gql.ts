/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment CartFields on Cart {\n    id\n    itemCount\n    subtotal {\n      amount\n      currencyCode\n    }\n    discount {\n      amount\n      currencyCode\n    }\n    total {\n      amount\n      currencyCode\n    }\n    promotion {\n      code\n      status\n      message\n    }\n    items {\n      product {\n        id\n      }\n      variant {\n        id\n      }\n      ...CartLine\n    }\n  }\n": typeof types.CartFieldsFragmentDoc,
    "\n  query Cart($id: ID) {\n    cart(id: $id) {\n      ...CartFields\n    }\n  }\n": typeof types.CartDocument,
    "\n  mutation AddToCart($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {\n    addToCart(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {\n      id\n      itemCount\n      ...CartFields\n    }\n  }\n": typeof types.AddToCartDocument,
    "\n  mutation MergeCart($guestCartId: ID!) {\n    mergeCart(guestCartId: $guestCartId) {\n      id\n      itemCount\n    }\n  }\n": typeof types.MergeCartDocument,
    "\n  fragment AddressFields on Address {\n    id\n    name\n    line1\n    line2\n    city\n    postalCode\n    country\n    isDefault\n  }\n": typeof types.AddressFieldsFragmentDoc,
    "\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n      ...AddressFields\n    }\n  }\n": typeof types.AddAddressDocument,
    "\n  mutation HoldCart($cartId: ID, $seconds: Int) {\n    holdCart(cartId: $cartId, seconds: $seconds) {\n      cartId\n      expiresAt\n    }\n  }\n": typeof types.HoldCartDocument,
    "\n  subscription HoldExpiring($cartId: ID!) {\n    reservationExpiring(cartId: $cartId) {\n      cartId\n      expiresAt\n    }\n  }\n": typeof types.HoldExpiringDocument,
    "\n  query Categories {\n    categories {\n      id\n      name\n      slug\n      parent {\n        id\n      }\n    }\n  }\n": typeof types.CategoriesDocument,
    "\n  mutation CancelMyOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelMyOrderDocument,
    "\n  mutation RequestReturn($id: ID!, $reason: String) {\n    requestReturn(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": typeof types.RequestReturnDocument,
    "\n  mutation PayOrder($orderId: ID!, $paymentMethod: String!) {\n    payOrder(orderId: $orderId, paymentMethod: $paymentMethod) {\n      id\n      status\n      failureReason\n    }\n  }\n": typeof types.PayOrderDocument,
    "\n  fragment ProductCard on Product {\n    id\n    name\n    price(currency: $currency) {\n      amount\n      currencyCode\n    }\n    basePrice {\n      amount\n      currencyCode\n    }\n    images {\n      url\n      alt\n    }\n    rating {\n      average\n      count\n    }\n    ...StockNote\n  }\n": typeof types.ProductCardFragmentDoc,
    "\n  mutation ApplyPromoCode($cartId: ID, $code: String!) {\n    applyPromoCode(cartId: $cartId, code: $code) {\n      ...CartFields\n    }\n  }\n": typeof types.ApplyPromoCodeDocument,
    "\n  mutation RemovePromoCode($cartId: ID) {\n    removePromoCode(cartId: $cartId) {\n      ...CartFields\n    }\n  }\n": typeof types.RemovePromoCodeDocument,
    "\n  query FrequentlyBoughtTogether($id: ID!, $currency: String) {\n    product(id: $id) {\n      id\n      frequentlyBoughtTogether(first: 4) {\n        id\n        ...ProductCard\n      }\n    }\n  }\n": typeof types.FrequentlyBoughtTogetherDocument,
    "\n  query RecommendedForMe($currency: String) {\n    recommendedForMe(first: 4) {\n      id\n      ...ProductCard\n    }\n  }\n": typeof types.RecommendedForMeDocument,
    "\n  fragment ReviewItem on Review {\n    id\n    rating\n    title\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n  }\n": typeof types.ReviewItemFragmentDoc,
    "\n  query ProductReviews($id: ID!, $first: Int, $after: String) {\n    product(id: $id) {\n      id\n      reviews(first: $first, after: $after) {\n        totalCount\n        edges {\n          cursor\n          node {\n            id\n            ...ReviewItem\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.ProductReviewsDocument,
    "\n  mutation AddReview($productId: ID!, $rating: Int!, $title: String, $body: String) {\n    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {\n      id\n      ...ReviewItem\n      product {\n        id\n        rating {\n          average\n          count\n        }\n      }\n    }\n  }\n": typeof types.AddReviewDocument,
    "\n  fragment StockNote on Product {\n    id\n    inStock\n    stock {\n      available\n    }\n  }\n": typeof types.StockNoteFragmentDoc,
    "\n  query Wishlist($currency: String) {\n    me {\n      id\n      wishlist {\n        ...WishlistEntry\n      }\n    }\n  }\n": typeof types.WishlistDocument,
    "\n  fragment WishlistEntry on WishlistItem {\n    addedAt\n    product {\n      id\n      name\n      ...ProductCard\n    }\n  }\n": typeof types.WishlistEntryFragmentDoc,
    "\n  mutation AddToWishlist($productId: ID!, $currency: String) {\n    addToWishlist(productId: $productId) {\n      ...WishlistEntry\n    }\n  }\n": typeof types.AddToWishlistDocument,
    "\n  mutation RemoveFromWishlist($productId: ID!, $currency: String) {\n    removeFromWishlist(productId: $productId) {\n      ...WishlistEntry\n    }\n  }\n": typeof types.RemoveFromWishlistDocument,
    "\n  query ShopperCurrency {\n    me {\n      id\n      preferences {\n        currency\n      }\n    }\n  }\n": typeof types.ShopperCurrencyDocument,
    "\n  mutation SaveCurrency($currency: String!) {\n    updatePreferences(input: { currency: $currency }) {\n      currency\n    }\n  }\n": typeof types.SaveCurrencyDocument,
    "\n  query Account {\n    me {\n      id\n      email\n      name\n      preferences {\n        locale\n        marketingOptIn\n      }\n      addresses {\n        ...AddressFields\n      }\n    }\n  }\n": typeof types.AccountDocument,
    "\n  mutation UpdateProfile($name: String) {\n    updateProfile(name: $name) {\n      id\n      name\n    }\n  }\n": typeof types.UpdateProfileDocument,
    "\n  mutation UpdatePreferences($input: PreferencesInput!) {\n    updatePreferences(input: $input) {\n      locale\n      marketingOptIn\n    }\n  }\n": typeof types.UpdatePreferencesDocument,
    "\n  mutation SetDefaultAddress($id: ID!) {\n    setDefaultAddress(id: $id) {\n      id\n    }\n  }\n": typeof types.SetDefaultAddressDocument,
    "\n  mutation RemoveAddress($id: ID!) {\n    removeAddress(id: $id)\n  }\n": typeof types.RemoveAddressDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query Catalogue($query: String, $filter: SearchFilter, $sort: SearchSort, $first: Int, $after: String, $currency: String) {\n    searchProducts(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, currency: $currency) {\n      totalCount\n      facets {\n        field\n        values {\n          value\n          count\n        }\n      }\n      nodes {\n        id\n        ...ProductCard\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.CatalogueDocument,
    "\n  fragment CartLine on CartItem {\n    quantity\n    variant {\n      id\n      name\n      sku\n    }\n    unitPrice {\n      amount\n      currencyCode\n    }\n    lineTotal {\n      amount\n      currencyCode\n    }\n    product {\n      id\n      name\n      images {\n        url\n        alt\n      }\n    }\n  }\n": typeof types.CartLineFragmentDoc,
    "\n  mutation UpdateCartItem($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {\n    updateCartItem(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {\n      ...CartFields\n    }\n  }\n": typeof types.UpdateCartItemDocument,
    "\n  mutation RemoveCartItem($cartId: ID, $productId: ID!, $variantId: ID) {\n    removeCartItem(cartId: $cartId, productId: $productId, variantId: $variantId) {\n      ...CartFields\n    }\n  }\n": typeof types.RemoveCartItemDocument,
    "\n  query MyAddresses {\n    me {\n      id\n      name\n      addresses {\n        ...AddressFields\n      }\n    }\n  }\n": typeof types.MyAddressesDocument,
    "\n  query ShippingRates($addressId: ID!, $cartId: ID!) {\n    shippingRates(addressId: $addressId, cartId: $cartId) {\n      id\n      name\n      carrier\n      estimatedDays\n      price {\n        amount\n        currencyCode\n      }\n    }\n  }\n": typeof types.ShippingRatesDocument,
    "\n  mutation PlaceOrder($input: CheckoutInput!) {\n    checkout(input: $input) {\n      id\n      orderNumber\n      status\n    }\n  }\n": typeof types.PlaceOrderDocument,
    "\n  query OrderPage($id: ID!) {\n    order(id: $id) {\n      id\n      orderNumber\n      status\n      createdAt\n      subtotal {\n        amount\n        currencyCode\n      }\n      shipping {\n        amount\n        currencyCode\n      }\n      discount {\n        amount\n        currencyCode\n      }\n      total {\n        amount\n        currencyCode\n      }\n      items {\n        quantity\n        unitPrice {\n          amount\n          currencyCode\n        }\n        lineTotal {\n          amount\n          currencyCode\n        }\n        product {\n          id\n          name\n        }\n        variant {\n          id\n          name\n          sku\n        }\n      }\n      shippingAddress {\n        name\n        line1\n        line2\n        city\n        postalCode\n        country\n      }\n      shippingMethodId\n      ...OrderLive\n    }\n    shippingMethods {\n      id\n      name\n      estimatedDaysMin\n      estimatedDaysMax\n    }\n  }\n": typeof types.OrderPageDocument,
    "\n  fragment OrderLive on Order {\n    id\n    status\n    statusHistory {\n      status\n      at\n      reason\n    }\n    payment {\n      id\n      status\n      failureReason\n    }\n    shipments {\n      id\n      carrier\n      trackingNumber\n      trackingUrl\n      status\n    }\n  }\n": typeof types.OrderLiveFragmentDoc,
    "\n  subscription OrderStatusLive($id: ID, $after: String) {\n    orderStatusChanged(orderId: $id, after: $after) {\n      id\n      ...OrderLive\n    }\n  }\n": typeof types.OrderStatusLiveDocument,
    "\n  query MyOrders($first: Int, $after: String) {\n    me {\n      id\n      orders(first: $first, after: $after) {\n        totalCount\n        edges {\n          node {\n            id\n            orderNumber\n            status\n            createdAt\n            total {\n              amount\n              currencyCode\n            }\n            items {\n              quantity\n              product {\n                id\n                name\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.MyOrdersDocument,
    "\n  query ProductPage($id: ID!, $currency: String) {\n    product(id: $id) {\n      id\n      sku\n      name\n      description\n      price(currency: $currency) {\n        amount\n        currencyCode\n      }\n      basePrice {\n        amount\n        currencyCode\n      }\n      category {\n        id\n        name\n        slug\n      }\n      images {\n        url\n        alt\n      }\n      attributes {\n        brand\n        color\n        size\n        dimensions\n      }\n      variants {\n        id\n        sku\n        name\n        size\n        color\n        price(currency: $currency) {\n          amount\n          currencyCode\n        }\n      }\n      rating {\n        average\n        count\n      }\n      inStock\n      ...StockNote\n    }\n  }\n": typeof types.ProductPageDocument,
    "\n  subscription StockLive($ids: [ID!]) {\n    stockChanged(productIds: $ids) {\n      id\n      ...StockNote\n    }\n  }\n": typeof types.StockLiveDocument,
};
const documents: Documents = {
    "\n  fragment CartFields on Cart {\n    id\n    itemCount\n    subtotal {\n      amount\n      currencyCode\n    }\n    discount {\n      amount\n      currencyCode\n    }\n    total {\n      amount\n      currencyCode\n    }\n    promotion {\n      code\n      status\n      message\n    }\n    items {\n      product {\n        id\n      }\n      variant {\n        id\n      }\n      ...CartLine\n    }\n  }\n": types.CartFieldsFragmentDoc,
    "\n  query Cart($id: ID) {\n    cart(id: $id) {\n      ...CartFields\n    }\n  }\n": types.CartDocument,
    "\n  mutation AddToCart($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {\n    addToCart(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {\n      id\n      itemCount\n      ...CartFields\n    }\n  }\n": types.AddToCartDocument,
    "\n  mutation MergeCart($guestCartId: ID!) {\n    mergeCart(guestCartId: $guestCartId) {\n      id\n      itemCount\n    }\n  }\n": types.MergeCartDocument,
    "\n  fragment AddressFields on Address {\n    id\n    name\n    line1\n    line2\n    city\n    postalCode\n    country\n    isDefault\n  }\n": types.AddressFieldsFragmentDoc,
    "\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n      ...AddressFields\n    }\n  }\n": types.AddAddressDocument,
    "\n  mutation HoldCart($cartId: ID, $seconds: Int) {\n    holdCart(cartId: $cartId, seconds: $seconds) {\n      cartId\n      expiresAt\n    }\n  }\n": types.HoldCartDocument,
    "\n  subscription HoldExpiring($cartId: ID!) {\n    reservationExpiring(cartId: $cartId) {\n      cartId\n      expiresAt\n    }\n  }\n": types.HoldExpiringDocument,
    "\n  query Categories {\n    categories {\n      id\n      name\n      slug\n      parent {\n        id\n      }\n    }\n  }\n": types.CategoriesDocument,
    "\n  mutation CancelMyOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelMyOrderDocument,
    "\n  mutation RequestReturn($id: ID!, $reason: String) {\n    requestReturn(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": types.RequestReturnDocument,
    "\n  mutation PayOrder($orderId: ID!, $paymentMethod: String!) {\n    payOrder(orderId: $orderId, paymentMethod: $paymentMethod) {\n      id\n      status\n      failureReason\n    }\n  }\n": types.PayOrderDocument,
    "\n  fragment ProductCard on Product {\n    id\n    name\n    price(currency: $currency) {\n      amount\n      currencyCode\n    }\n    basePrice {\n      amount\n      currencyCode\n    }\n    images {\n      url\n      alt\n    }\n    rating {\n      average\n      count\n    }\n    ...StockNote\n  }\n": types.ProductCardFragmentDoc,
    "\n  mutation ApplyPromoCode($cartId: ID, $code: String!) {\n    applyPromoCode(cartId: $cartId, code: $code) {\n      ...CartFields\n    }\n  }\n": types.ApplyPromoCodeDocument,
    "\n  mutation RemovePromoCode($cartId: ID) {\n    removePromoCode(cartId: $cartId) {\n      ...CartFields\n    }\n  }\n": types.RemovePromoCodeDocument,
    "\n  query FrequentlyBoughtTogether($id: ID!, $currency: String) {\n    product(id: $id) {\n      id\n      frequentlyBoughtTogether(first: 4) {\n        id\n        ...ProductCard\n      }\n    }\n  }\n": types.FrequentlyBoughtTogetherDocument,
    "\n  query RecommendedForMe($currency: String) {\n    recommendedForMe(first: 4) {\n      id\n      ...ProductCard\n    }\n  }\n": types.RecommendedForMeDocument,
    "\n  fragment ReviewItem on Review {\n    id\n    rating\n    title\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n  }\n": types.ReviewItemFragmentDoc,
    "\n  query ProductReviews($id: ID!, $first: Int, $after: String) {\n    product(id: $id) {\n      id\n      reviews(first: $first, after: $after) {\n        totalCount\n        edges {\n          cursor\n          node {\n            id\n            ...ReviewItem\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.ProductReviewsDocument,
    "\n  mutation AddReview($productId: ID!, $rating: Int!, $title: String, $body: String) {\n    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {\n      id\n      ...ReviewItem\n      product {\n        id\n        rating {\n          average\n          count\n        }\n      }\n    }\n  }\n": types.AddReviewDocument,
    "\n  fragment StockNote on Product {\n    id\n    inStock\n    stock {\n      available\n    }\n  }\n": types.StockNoteFragmentDoc,
    "\n  query Wishlist($currency: String) {\n    me {\n      id\n      wishlist {\n        ...WishlistEntry\n      }\n    }\n  }\n": types.WishlistDocument,
    "\n  fragment WishlistEntry on WishlistItem {\n    addedAt\n    product {\n      id\n      name\n      ...ProductCard\n    }\n  }\n": types.WishlistEntryFragmentDoc,
    "\n  mutation AddToWishlist($productId: ID!, $currency: String) {\n    addToWishlist(productId: $productId) {\n      ...WishlistEntry\n    }\n  }\n": types.AddToWishlistDocument,
    "\n  mutation RemoveFromWishlist($productId: ID!, $currency: String) {\n    removeFromWishlist(productId: $productId) {\n      ...WishlistEntry\n    }\n  }\n": types.RemoveFromWishlistDocument,
    "\n  query ShopperCurrency {\n    me {\n      id\n      preferences {\n        currency\n      }\n    }\n  }\n": types.ShopperCurrencyDocument,
    "\n  mutation SaveCurrency($currency: String!) {\n    updatePreferences(input: { currency: $currency }) {\n      currency\n    }\n  }\n": types.SaveCurrencyDocument,
    "\n  query Account {\n    me {\n      id\n      email\n      name\n      preferences {\n        locale\n        marketingOptIn\n      }\n      addresses {\n        ...AddressFields\n      }\n    }\n  }\n": types.AccountDocument,
    "\n  mutation UpdateProfile($name: String) {\n    updateProfile(name: $name) {\n      id\n      name\n    }\n  }\n": types.UpdateProfileDocument,
    "\n  mutation UpdatePreferences($input: PreferencesInput!) {\n    updatePreferences(input: $input) {\n      locale\n      marketingOptIn\n    }\n  }\n": types.UpdatePreferencesDocument,
    "\n  mutation SetDefaultAddress($id: ID!) {\n    setDefaultAddress(id: $id) {\n      id\n    }\n  }\n": types.SetDefaultAddressDocument,
    "\n  mutation RemoveAddress($id: ID!) {\n    removeAddress(id: $id)\n  }\n": types.RemoveAddressDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  query Catalogue($query: String, $filter: SearchFilter, $sort: SearchSort, $first: Int, $after: String, $currency: String) {\n    searchProducts(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, currency: $currency) {\n      totalCount\n      facets {\n        field\n        values {\n          value\n          count\n        }\n      }\n      nodes {\n        id\n        ...ProductCard\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.CatalogueDocument,
    "\n  fragment CartLine on CartItem {\n    quantity\n    variant {\n      id\n      name\n      sku\n    }\n    unitPrice {\n      amount\n      currencyCode\n    }\n    lineTotal {\n      amount\n      currencyCode\n    }\n    product {\n      id\n      name\n      images {\n        url\n        alt\n      }\n    }\n  }\n": types.CartLineFragmentDoc,
    "\n  mutation UpdateCartItem($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {\n    updateCartItem(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {\n      ...CartFields\n    }\n  }\n": types.UpdateCartItemDocument,
    "\n  mutation RemoveCartItem($cartId: ID, $productId: ID!, $variantId: ID) {\n    removeCartItem(cartId: $cartId, productId: $productId, variantId: $variantId) {\n      ...CartFields\n    }\n  }\n": types.RemoveCartItemDocument,
    "\n  query MyAddresses {\n    me {\n      id\n      name\n      addresses {\n        ...AddressFields\n      }\n    }\n  }\n": types.MyAddressesDocument,
    "\n  query ShippingRates($addressId: ID!, $cartId: ID!) {\n    shippingRates(addressId: $addressId, cartId: $cartId) {\n      id\n      name\n      carrier\n      estimatedDays\n      price {\n        amount\n        currencyCode\n      }\n    }\n  }\n": types.ShippingRatesDocument,
    "\n  mutation PlaceOrder($input: CheckoutInput!) {\n    checkout(input: $input) {\n      id\n      orderNumber\n      status\n    }\n  }\n": types.PlaceOrderDocument,
    "\n  query OrderPage($id: ID!) {\n    order(id: $id) {\n      id\n      orderNumber\n      status\n      createdAt\n      subtotal {\n        amount\n        currencyCode\n      }\n      shipping {\n        amount\n        currencyCode\n      }\n      discount {\n        amount\n        currencyCode\n      }\n      total {\n        amount\n        currencyCode\n      }\n      items {\n        quantity\n        unitPrice {\n          amount\n          currencyCode\n        }\n        lineTotal {\n          amount\n          currencyCode\n        }\n        product {\n          id\n          name\n        }\n        variant {\n          id\n          name\n          sku\n        }\n      }\n      shippingAddress {\n        name\n        line1\n        line2\n        city\n        postalCode\n        country\n      }\n      shippingMethodId\n      ...OrderLive\n    }\n    shippingMethods {\n      id\n      name\n      estimatedDaysMin\n      estimatedDaysMax\n    }\n  }\n": types.OrderPageDocument,
    "\n  fragment OrderLive on Order {\n    id\n    status\n    statusHistory {\n      status\n      at\n      reason\n    }\n    payment {\n      id\n      status\n      failureReason\n    }\n    shipments {\n      id\n      carrier\n      trackingNumber\n      trackingUrl\n      status\n    }\n  }\n": types.OrderLiveFragmentDoc,
    "\n  subscription OrderStatusLive($id: ID, $after: String) {\n    orderStatusChanged(orderId: $id, after: $after) {\n      id\n      ...OrderLive\n    }\n  }\n": types.OrderStatusLiveDocument,
    "\n  query MyOrders($first: Int, $after: String) {\n    me {\n      id\n      orders(first: $first, after: $after) {\n        totalCount\n        edges {\n          node {\n            id\n            orderNumber\n            status\n            createdAt\n            total {\n              amount\n              currencyCode\n            }\n            items {\n              quantity\n              product {\n                id\n                name\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.MyOrdersDocument,
    "\n  query ProductPage($id: ID!, $currency: String) {\n    product(id: $id) {\n      id\n      sku\n      name\n      description\n      price(currency: $currency) {\n        amount\n        currencyCode\n      }\n      basePrice {\n        amount\n        currencyCode\n      }\n      category {\n        id\n        name\n        slug\n      }\n      images {\n        url\n        alt\n      }\n      attributes {\n        brand\n        color\n        size\n        dimensions\n      }\n      variants {\n        id\n        sku\n        name\n        size\n        color\n        price(currency: $currency) {\n          amount\n          currencyCode\n        }\n      }\n      rating {\n        average\n        count\n      }\n      inStock\n      ...StockNote\n    }\n  }\n": types.ProductPageDocument,
    "\n  subscription StockLive($ids: [ID!]) {\n    stockChanged(productIds: $ids) {\n      id\n      ...StockNote\n    }\n  }\n": types.StockLiveDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CartFields on Cart {\n    id\n    itemCount\n    subtotal {\n      amount\n      currencyCode\n    }\n    discount {\n      amount\n      currencyCode\n    }\n    total {\n      amount\n      currencyCode\n    }\n    promotion {\n      code\n      status\n      message\n    }\n    items {\n      product {\n        id\n      }\n      variant {\n        id\n      }\n      ...CartLine\n    }\n  }\n"): (typeof documents)["\n  fragment CartFields on Cart {\n    id\n    itemCount\n    subtotal {\n      amount\n      currencyCode\n    }\n    discount {\n      amount\n      currencyCode\n    }\n    total {\n      amount\n      currencyCode\n    }\n    promotion {\n      code\n      status\n      message\n    }\n    items {\n      product {\n        id\n      }\n      variant {\n        id\n      }\n      ...CartLine\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Cart($id: ID) {\n    cart(id: $id) {\n      ...CartFields\n    }\n  }\n"): (typeof documents)["\n  query Cart($id: ID) {\n    cart(id: $id) {\n      ...CartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToCart($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {\n    addToCart(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {\n      id\n      itemCount\n      ...CartFields\n    }\n  }\n"): (typeof documents)["\n  mutation AddToCart($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {\n    addToCart(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {\n      id\n      itemCount\n      ...CartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MergeCart($guestCartId: ID!) {\n    mergeCart(guestCartId: $guestCartId) {\n      id\n      itemCount\n    }\n  }\n"): (typeof documents)["\n  mutation MergeCart($guestCartId: ID!) {\n    mergeCart(guestCartId: $guestCartId) {\n      id\n      itemCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AddressFields on Address {\n    id\n    name\n    line1\n    line2\n    city\n    postalCode\n    country\n    isDefault\n  }\n"): (typeof documents)["\n  fragment AddressFields on Address {\n    id\n    name\n    line1\n    line2\n    city\n    postalCode\n    country\n    isDefault\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n      ...AddressFields\n    }\n  }\n"): (typeof documents)["\n  mutation AddAddress($input: AddressInput!) {\n    addAddress(input: $input) {\n      id\n      ...AddressFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HoldCart($cartId: ID, $seconds: Int) {\n    holdCart(cartId: $cartId, seconds: $seconds) {\n      cartId\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation HoldCart($cartId: ID, $seconds: Int) {\n    holdCart(cartId: $cartId, seconds: $seconds) {\n      cartId\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription HoldExpiring($cartId: ID!) {\n    reservationExpiring(cartId: $cartId) {\n      cartId\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  subscription HoldExpiring($cartId: ID!) {\n    reservationExpiring(cartId: $cartId) {\n      cartId\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Categories {\n    categories {\n      id\n      name\n      slug\n      parent {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  query Categories {\n    categories {\n      id\n      name\n      slug\n      parent {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelMyOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CancelMyOrder($id: ID!) {\n    cancelOrder(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestReturn($id: ID!, $reason: String) {\n    requestReturn(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RequestReturn($id: ID!, $reason: String) {\n    requestReturn(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayOrder($orderId: ID!, $paymentMethod: String!) {\n    payOrder(orderId: $orderId, paymentMethod: $paymentMethod) {\n      id\n      status\n      failureReason\n    }\n  }\n"): (typeof documents)["\n  mutation PayOrder($orderId: ID!, $paymentMethod: String!) {\n    payOrder(orderId: $orderId, paymentMethod: $paymentMethod) {\n      id\n      status\n      failureReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductCard on Product {\n    id\n    name\n    price(currency: $currency) {\n      amount\n      currencyCode\n    }\n    basePrice {\n      amount\n      currencyCode\n    }\n    images {\n      url\n      alt\n    }\n    rating {\n      average\n      count\n    }\n    ...StockNote\n  }\n"): (typeof documents)["\n  fragment ProductCard on Product {\n    id\n    name\n    price(currency: $currency) {\n      amount\n      currencyCode\n    }\n    basePrice {\n      amount\n      currencyCode\n    }\n    images {\n      url\n      alt\n    }\n    rating {\n      average\n      count\n    }\n    ...StockNote\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApplyPromoCode($cartId: ID, $code: String!) {\n    applyPromoCode(cartId: $cartId, code: $code) {\n      ...CartFields\n    }\n  }\n"): (typeof documents)["\n  mutation ApplyPromoCode($cartId: ID, $code: String!) {\n    applyPromoCode(cartId: $cartId, code: $code) {\n      ...CartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovePromoCode($cartId: ID) {\n    removePromoCode(cartId: $cartId) {\n      ...CartFields\n    }\n  }\n"): (typeof documents)["\n  mutation RemovePromoCode($cartId: ID) {\n    removePromoCode(cartId: $cartId) {\n      ...CartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FrequentlyBoughtTogether($id: ID!, $currency: String) {\n    product(id: $id) {\n      id\n      frequentlyBoughtTogether(first: 4) {\n        id\n        ...ProductCard\n      }\n    }\n  }\n"): (typeof documents)["\n  query FrequentlyBoughtTogether($id: ID!, $currency: String) {\n    product(id: $id) {\n      id\n      frequentlyBoughtTogether(first: 4) {\n        id\n        ...ProductCard\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecommendedForMe($currency: String) {\n    recommendedForMe(first: 4) {\n      id\n      ...ProductCard\n    }\n  }\n"): (typeof documents)["\n  query RecommendedForMe($currency: String) {\n    recommendedForMe(first: 4) {\n      id\n      ...ProductCard\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReviewItem on Review {\n    id\n    rating\n    title\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ReviewItem on Review {\n    id\n    rating\n    title\n    body\n    createdAt\n    author {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductReviews($id: ID!, $first: Int, $after: String) {\n    product(id: $id) {\n      id\n      reviews(first: $first, after: $after) {\n        totalCount\n        edges {\n          cursor\n          node {\n            id\n            ...ReviewItem\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProductReviews($id: ID!, $first: Int, $after: String) {\n    product(id: $id) {\n      id\n      reviews(first: $first, after: $after) {\n        totalCount\n        edges {\n          cursor\n          node {\n            id\n            ...ReviewItem\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddReview($productId: ID!, $rating: Int!, $title: String, $body: String) {\n    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {\n      id\n      ...ReviewItem\n      product {\n        id\n        rating {\n          average\n          count\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddReview($productId: ID!, $rating: Int!, $title: String, $body: String) {\n    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {\n      id\n      ...ReviewItem\n      product {\n        id\n        rating {\n          average\n          count\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StockNote on Product {\n    id\n    inStock\n    stock {\n      available\n    }\n  }\n"): (typeof documents)["\n  fragment StockNote on Product {\n    id\n    inStock\n    stock {\n      available\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Wishlist($currency: String) {\n    me {\n      id\n      wishlist {\n        ...WishlistEntry\n      }\n    }\n  }\n"): (typeof documents)["\n  query Wishlist($currency: String) {\n    me {\n      id\n      wishlist {\n        ...WishlistEntry\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WishlistEntry on WishlistItem {\n    addedAt\n    product {\n      id\n      name\n      ...ProductCard\n    }\n  }\n"): (typeof documents)["\n  fragment WishlistEntry on WishlistItem {\n    addedAt\n    product {\n      id\n      name\n      ...ProductCard\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddToWishlist($productId: ID!, $currency: String) {\n    addToWishlist(productId: $productId) {\n      ...WishlistEntry\n    }\n  }\n"): (typeof documents)["\n  mutation AddToWishlist($productId: ID!, $currency: String) {\n    addToWishlist(productId: $productId) {\n      ...WishlistEntry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveFromWishlist($productId: ID!, $currency: String) {\n    removeFromWishlist(productId: $productId) {\n      ...WishlistEntry\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveFromWishlist($productId: ID!, $currency: String) {\n    removeFromWishlist(productId: $productId) {\n      ...WishlistEntry\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShopperCurrency {\n    me {\n      id\n      preferences {\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  query ShopperCurrency {\n    me {\n      id\n      preferences {\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveCurrency($currency: String!) {\n    updatePreferences(input: { currency: $currency }) {\n      currency\n    }\n  }\n"): (typeof documents)["\n  mutation SaveCurrency($currency: String!) {\n    updatePreferences(input: { currency: $currency }) {\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Account {\n    me {\n      id\n      email\n      name\n      preferences {\n        locale\n        marketingOptIn\n      }\n      addresses {\n        ...AddressFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Account {\n    me {\n      id\n      email\n      name\n      preferences {\n        locale\n        marketingOptIn\n      }\n      addresses {\n        ...AddressFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($name: String) {\n    updateProfile(name: $name) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($name: String) {\n    updateProfile(name: $name) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePreferences($input: PreferencesInput!) {\n    updatePreferences(input: $input) {\n      locale\n      marketingOptIn\n    }\n  }\n"): (typeof documents)["\n  mutation UpdatePreferences($input: PreferencesInput!) {\n    updatePreferences(input: $input) {\n      locale\n      marketingOptIn\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetDefaultAddress($id: ID!) {\n    setDefaultAddress(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation SetDefaultAddress($id: ID!) {\n    setDefaultAddress(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveAddress($id: ID!) {\n    removeAddress(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemoveAddress($id: ID!) {\n    removeAddress(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Catalogue($query: String, $filter: SearchFilter, $sort: SearchSort, $first: Int, $after: String, $currency: String) {\n    searchProducts(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, currency: $currency) {\n      totalCount\n      facets {\n        field\n        values {\n          value\n          count\n        }\n      }\n      nodes {\n        id\n        ...ProductCard\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Catalogue($query: String, $filter: SearchFilter, $sort: SearchSort, $first: Int, $after: String, $currency: String) {\n    searchProducts(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, currency: $currency) {\n      totalCount\n      facets {\n        field\n        values {\n          value\n          count\n        }\n      }\n      nodes {\n        id\n        ...ProductCard\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CartLine on CartItem {\n    quantity\n    variant {\n      id\n      name\n      sku\n    }\n    unitPrice {\n      amount\n      currencyCode\n    }\n    lineTotal {\n      amount\n      currencyCode\n    }\n    product {\n      id\n      name\n      images {\n        url\n        alt\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment CartLine on CartItem {\n    quantity\n    variant {\n      id\n      name\n      sku\n    }\n    unitPrice {\n      amount\n      currencyCode\n    }\n    lineTotal {\n      amount\n      currencyCode\n    }\n    product {\n      id\n      name\n      images {\n        url\n        alt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCartItem($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {\n    updateCartItem(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {\n      ...CartFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCartItem($cartId: ID, $productId: ID!, $quantity: Int!, $variantId: ID) {\n    updateCartItem(cartId: $cartId, productId: $productId, quantity: $quantity, variantId: $variantId) {\n      ...CartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveCartItem($cartId: ID, $productId: ID!, $variantId: ID) {\n    removeCartItem(cartId: $cartId, productId: $productId, variantId: $variantId) {\n      ...CartFields\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveCartItem($cartId: ID, $productId: ID!, $variantId: ID) {\n    removeCartItem(cartId: $cartId, productId: $productId, variantId: $variantId) {\n      ...CartFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyAddresses {\n    me {\n      id\n      name\n      addresses {\n        ...AddressFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyAddresses {\n    me {\n      id\n      name\n      addresses {\n        ...AddressFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShippingRates($addressId: ID!, $cartId: ID!) {\n    shippingRates(addressId: $addressId, cartId: $cartId) {\n      id\n      name\n      carrier\n      estimatedDays\n      price {\n        amount\n        currencyCode\n      }\n    }\n  }\n"): (typeof documents)["\n  query ShippingRates($addressId: ID!, $cartId: ID!) {\n    shippingRates(addressId: $addressId, cartId: $cartId) {\n      id\n      name\n      carrier\n      estimatedDays\n      price {\n        amount\n        currencyCode\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceOrder($input: CheckoutInput!) {\n    checkout(input: $input) {\n      id\n      orderNumber\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation PlaceOrder($input: CheckoutInput!) {\n    checkout(input: $input) {\n      id\n      orderNumber\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderPage($id: ID!) {\n    order(id: $id) {\n      id\n      orderNumber\n      status\n      createdAt\n      subtotal {\n        amount\n        currencyCode\n      }\n      shipping {\n        amount\n        currencyCode\n      }\n      discount {\n        amount\n        currencyCode\n      }\n      total {\n        amount\n        currencyCode\n      }\n      items {\n        quantity\n        unitPrice {\n          amount\n          currencyCode\n        }\n        lineTotal {\n          amount\n          currencyCode\n        }\n        product {\n          id\n          name\n        }\n        variant {\n          id\n          name\n          sku\n        }\n      }\n      shippingAddress {\n        name\n        line1\n        line2\n        city\n        postalCode\n        country\n      }\n      shippingMethodId\n      ...OrderLive\n    }\n    shippingMethods {\n      id\n      name\n      estimatedDaysMin\n      estimatedDaysMax\n    }\n  }\n"): (typeof documents)["\n  query OrderPage($id: ID!) {\n    order(id: $id) {\n      id\n      orderNumber\n      status\n      createdAt\n      subtotal {\n        amount\n        currencyCode\n      }\n      shipping {\n        amount\n        currencyCode\n      }\n      discount {\n        amount\n        currencyCode\n      }\n      total {\n        amount\n        currencyCode\n      }\n      items {\n        quantity\n        unitPrice {\n          amount\n          currencyCode\n        }\n        lineTotal {\n          amount\n          currencyCode\n        }\n        product {\n          id\n          name\n        }\n        variant {\n          id\n          name\n          sku\n        }\n      }\n      shippingAddress {\n        name\n        line1\n        line2\n        city\n        postalCode\n        country\n      }\n      shippingMethodId\n      ...OrderLive\n    }\n    shippingMethods {\n      id\n      name\n      estimatedDaysMin\n      estimatedDaysMax\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderLive on Order {\n    id\n    status\n    statusHistory {\n      status\n      at\n      reason\n    }\n    payment {\n      id\n      status\n      failureReason\n    }\n    shipments {\n      id\n      carrier\n      trackingNumber\n      trackingUrl\n      status\n    }\n  }\n"): (typeof documents)["\n  fragment OrderLive on Order {\n    id\n    status\n    statusHistory {\n      status\n      at\n      reason\n    }\n    payment {\n      id\n      status\n      failureReason\n    }\n    shipments {\n      id\n      carrier\n      trackingNumber\n      trackingUrl\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderStatusLive($id: ID, $after: String) {\n    orderStatusChanged(orderId: $id, after: $after) {\n      id\n      ...OrderLive\n    }\n  }\n"): (typeof documents)["\n  subscription OrderStatusLive($id: ID, $after: String) {\n    orderStatusChanged(orderId: $id, after: $after) {\n      id\n      ...OrderLive\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrders($first: Int, $after: String) {\n    me {\n      id\n      orders(first: $first, after: $after) {\n        totalCount\n        edges {\n          node {\n            id\n            orderNumber\n            status\n            createdAt\n            total {\n              amount\n              currencyCode\n            }\n            items {\n              quantity\n              product {\n                id\n                name\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyOrders($first: Int, $after: String) {\n    me {\n      id\n      orders(first: $first, after: $after) {\n        totalCount\n        edges {\n          node {\n            id\n            orderNumber\n            status\n            createdAt\n            total {\n              amount\n              currencyCode\n            }\n            items {\n              quantity\n              product {\n                id\n                name\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductPage($id: ID!, $currency: String) {\n    product(id: $id) {\n      id\n      sku\n      name\n      description\n      price(currency: $currency) {\n        amount\n        currencyCode\n      }\n      basePrice {\n        amount\n        currencyCode\n      }\n      category {\n        id\n        name\n        slug\n      }\n      images {\n        url\n        alt\n      }\n      attributes {\n        brand\n        color\n        size\n        dimensions\n      }\n      variants {\n        id\n        sku\n        name\n        size\n        color\n        price(currency: $currency) {\n          amount\n          currencyCode\n        }\n      }\n      rating {\n        average\n        count\n      }\n      inStock\n      ...StockNote\n    }\n  }\n"): (typeof documents)["\n  query ProductPage($id: ID!, $currency: String) {\n    product(id: $id) {\n      id\n      sku\n      name\n      description\n      price(currency: $currency) {\n        amount\n        currencyCode\n      }\n      basePrice {\n        amount\n        currencyCode\n      }\n      category {\n        id\n        name\n        slug\n      }\n      images {\n        url\n        alt\n      }\n      attributes {\n        brand\n        color\n        size\n        dimensions\n      }\n      variants {\n        id\n        sku\n        name\n        size\n        color\n        price(currency: $currency) {\n          amount\n          currencyCode\n        }\n      }\n      rating {\n        average\n        count\n      }\n      inStock\n      ...StockNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StockLive($ids: [ID!]) {\n    stockChanged(productIds: $ids) {\n      id\n      ...StockNote\n    }\n  }\n"): (typeof documents)["\n  subscription StockLive($ids: [ID!]) {\n    stockChanged(productIds: $ids) {\n      id\n      ...StockNote\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;