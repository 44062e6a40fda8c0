import { useMutation, useQuery } from '@apollo/client/react';
import { date } from '@shop/client-core';
import { useState } from 'react';
import { Pager, useCursorPages } from '../components/Pager.js';
import { ErrorNotice, Loading, Outcome, useRun } from '../components/States.js';
import { graphql } from '../gql/index.js';
import type { Role } from '../gql/graphql.js';

const Users = graphql(`
  query Users($search: String, $role: Role, $first: Int, $after: String) {
    users(search: $search, role: $role, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          email
          name
          role
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const SetUserRole = graphql(`
  mutation SetUserRole($userId: ID!, $role: Role!) {
    setUserRole(userId: $userId, role: $role) {
      id
      role
    }
  }
`);

export function UsersPage() {
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const pages = useCursorPages();
  const { data, loading, error, refetch } = useQuery(Users, { variables: { search: search || null, role: role || null, first: 25, after: pages.after } });
  const [setUserRole] = useMutation(SetUserRole);
  const { outcome, run } = useRun();
  const change = (userId: string, email: string, next: Role) =>
    run(() => setUserRole({ variables: { userId, role: next } }), `${email} is now ${next === 'ADMIN' ? 'an administrator' : 'a customer'}.`);
  const users = data?.users;
  return (
    <section data-testid="users-page">
      <div className="head">
        <h1>Users and roles</h1>
        <form
          role="search"
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(String(new FormData(e.currentTarget).get('q') ?? '').trim());
            pages.reset();
          }}
        >
          <label className="inline">
            Search <input name="q" type="search" data-testid="user-search" />
          </label>
          <label className="inline">
            Role{' '}
            <select value={role} onChange={(e) => (setRole(e.target.value as Role | ''), pages.reset())} data-testid="role-filter">
              <option value="">Any</option>
              <option value="CUSTOMER">Customer</option>
              <option value="ADMIN">Administrator</option>
            </select>
          </label>
        </form>
      </div>
      <Outcome state={outcome} />
      {loading && !data ? <Loading label="Loading users…" /> : null}
      {error && !data ? <ErrorNotice error={error} retry={() => void refetch()} /> : null}
      {users ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Since</th>
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {users.edges.map(({ node }) => (
                <tr key={node.id} data-testid="user-row">
                  <td className="clip">{node.email}</td>
                  <td className="clip">{node.name ?? '—'}</td>
                  <td>{date(node.createdAt)}</td>
                  <td>
                    <label>
                      <span className="visually-hidden">Role of {node.email}</span>
                      <select value={node.role} onChange={(e) => void change(node.id, node.email, e.target.value as Role)} data-testid="user-role">
                        <option value="CUSTOMER">Customer</option>
                        <option value="ADMIN">Administrator</option>
                      </select>
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {users ? (
        <Pager hasPrevious={pages.hasPrevious} hasNext={users.pageInfo.hasNextPage} onPrevious={pages.previous} onNext={() => pages.next(users.pageInfo.endCursor)} />
      ) : null}
    </section>
  );
}
