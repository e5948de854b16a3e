import { HeaderValue } from './digest';

/** Headers as name and value, in the order they were sent, repeated names included. */
export function HeaderTable({ headers }: { headers: [string, string][] }) {
  return (
    <table className="kv mono">
      <tbody>
        {headers.map(([name, value], index) => (
          <tr key={index}>
            <th>{name}</th>
            <td>
              <HeaderValue value={value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
