// Consumer groups: state, members and total lag per group.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { count } from '../format';
import { Link } from '../router';
import { ErrorNote, Loading, PageHeader, StateBadge, TableFrame, useResource } from '../ui';

export function GroupsPage() {
  const [filter, setFilter] = useState('');
  const groups = useResource(() => api.groups(), 'groups', 5000);
  const needle = filter.trim().toLowerCase();
  const shown = (groups.data ?? []).filter((g) => !needle || g.groupId.toLowerCase().includes(needle)).sort((a, b) => a.groupId.localeCompare(b.groupId));
  return (
    <>
      <PageHeader title="Consumer groups" subtitle={groups.data ? `${count(groups.data.length)} groups` : undefined} />
      <div class="toolbar">
        <div class="field grow">
          <label for="group-filter" class="sr-only">
            Filter groups
          </label>
          <input id="group-filter" type="search" placeholder="Filter groups" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </div>
      </div>
      <ErrorNote error={groups.error} />
      {!groups.data && groups.loading ? <Loading what="consumer groups" /> : null}
      {groups.data ? (
        <TableFrame tall>
          <table aria-label="Consumer groups">
            <thead>
              <tr>
                <th scope="col">Group id</th>
                <th scope="col">State</th>
                <th scope="col">Protocol type</th>
                <th scope="col" class="num">
                  Members
                </th>
                <th scope="col" class="num">
                  Total lag
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((g) => (
                <tr key={g.groupId}>
                  <td>
                    <Link href={`/groups/${encodeURIComponent(g.groupId)}`}>{g.groupId}</Link>
                  </td>
                  <td>
                    <StateBadge state={g.state} />
                  </td>
                  <td>{g.protocolType || '–'}</td>
                  <td class="num mono">{count(g.members)}</td>
                  <td class="num mono">{count(g.totalLag)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 ? <p class="empty">{needle ? 'No group matches the filter.' : 'No consumer groups yet.'}</p> : null}
        </TableFrame>
      ) : null}
    </>
  );
}
