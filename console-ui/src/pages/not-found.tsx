// Unknown routes.
import { Link } from '../router';
import { PageHeader } from '../ui';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing at this address. Go to the <Link href="/">overview</Link>.
      </p>
    </>
  );
}
