import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { describeError } from '@shop/client-core';
import { COUNTRIES, countryName } from '@shop/client-core';
import { graphql } from '../gql/index.js';

export const AddressFields = graphql(`
  fragment AddressFields on Address {
    id
    name
    line1
    line2
    city
    postalCode
    country
    isDefault
  }
`);

const AddAddress = graphql(`
  mutation AddAddress($input: AddressInput!) {
    addAddress(input: $input) {
      id
      ...AddressFields
    }
  }
`);

/** One line for an address: "Erika Mustermann, Hauptstr. 1, 10115 Berlin, Germany". */
export function addressLine(a: { name: string; line1: string; line2?: string | null; postalCode: string; city: string; country: string }): string {
  return [a.name, a.line1, a.line2, `${a.postalCode} ${a.city}`, countryName(a.country)].filter(Boolean).join(', ');
}

/** A new address; the country is chosen by name and sent as its ISO code. */
export function AddressForm({ onSaved, defaultName = '' }: { onSaved: (id: string) => void; defaultName?: string }) {
  const [add, { loading }] = useMutation(AddAddress, { refetchQueries: ['MyAddresses', 'Account'] });
  const [failure, setFailure] = useState<{ message: string; field: string | null } | null>(null);
  const countries = COUNTRIES.map((code) => ({ code, name: countryName(code) })).sort((a, b) => a.name.localeCompare(b.name));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    const form = new FormData(event.currentTarget);
    const value = (key: string) => String(form.get(key) ?? '').trim();
    try {
      const result = await add({
        variables: {
          input: { name: value('name'), line1: value('line1'), line2: value('line2') || null, city: value('city'), postalCode: value('postalCode'), country: value('country') },
        },
      });
      if (result.data) onSaved(result.data.addAddress.id);
    } catch (e) {
      setFailure(describeError(e));
    }
  };
  const invalid = (field: string) => (failure?.field === field ? { 'aria-invalid': true as const, 'aria-describedby': 'address-error' } : {});

  return (
    <form className="stack address-form" onSubmit={(e) => void submit(e)} data-testid="address-form">
      <label>
        Full name
        <input name="name" required maxLength={100} autoComplete="name" defaultValue={defaultName} data-testid="address-name" {...invalid('name')} />
      </label>
      <label>
        Street and number
        <input name="line1" required maxLength={200} autoComplete="address-line1" data-testid="address-line1" {...invalid('line1')} />
      </label>
      <label>
        Apartment, floor, company (optional)
        <input name="line2" maxLength={200} autoComplete="address-line2" data-testid="address-line2" />
      </label>
      <div className="row">
        <label>
          Postal code
          <input name="postalCode" required maxLength={12} autoComplete="postal-code" data-testid="address-postalCode" {...invalid('postalCode')} />
        </label>
        <label className="grow">
          City
          <input name="city" required maxLength={100} autoComplete="address-level2" data-testid="address-city" {...invalid('city')} />
        </label>
      </div>
      <label>
        Country
        <select name="country" required defaultValue="DE" autoComplete="country" data-testid="address-country">
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {failure ? (
        <p className="state error" role="alert" id="address-error" data-testid="error">
          {failure.message}
        </p>
      ) : null}
      <button type="submit" disabled={loading} data-testid="address-submit">
        Save address
      </button>
    </form>
  );
}
