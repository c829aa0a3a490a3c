// The console's shell: session check (login on secured clusters), feature discovery, navigation and routes.
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, LOGIN_NEEDED_EVENT, type Features, type Session } from './api';
import { ConsoleContext } from './app-context';
import { Link, match, useLocation } from './router';
import { OverviewPage } from './pages/overview';
import { TopicsPage } from './pages/topics';
import { TopicPage } from './pages/topic';
import { GroupsPage } from './pages/groups';
import { GroupPage } from './pages/group';
import { SecurityPage } from './pages/security';
import { TransactionsPage } from './pages/transactions';
import { LoginPage } from './pages/login';
import { NotFoundPage } from './pages/not-found';
import './styles.css';

function Page({ path }: { path: string }) {
  let params: Record<string, string> | null;
  if (match('/', path)) return <OverviewPage />;
  if (match('/topics', path)) return <TopicsPage />;
  if ((params = match('/topics/:name', path))) return <TopicPage key={params.name} name={params.name} />;
  if (match('/groups', path)) return <GroupsPage />;
  if ((params = match('/groups/:id', path))) return <GroupPage key={params.id} groupId={params.id} />;
  if (match('/security', path)) return <SecurityPage />;
  if (match('/transactions', path)) return <TransactionsPage />;
  return <NotFoundPage />;
}

function NavLink({ href, label, path }: { href: string; label: string; path: string }) {
  const active = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
  return (
    <Link href={href} class={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
      {label}
    </Link>
  );
}

function App() {
  const { path } = useLocation();
  const [session, setSession] = useState<Session | undefined>();
  const [sessionChecked, setSessionChecked] = useState(false);
  const [features, setFeatures] = useState<Features | undefined>();
  const [featuresError, setFeaturesError] = useState<unknown>();

  const refresh = useCallback(() => {
    const loadFeatures = () =>
      api.features().then(
        (f) => {
          setFeatures(f);
          setFeaturesError(undefined);
        },
        (e: unknown) => {
          setFeatures(undefined);
          setFeaturesError(e);
        },
      );
    api.session().then(
      (s) => {
        setSession(s);
        setSessionChecked(true);
        if (!s.secured || s.loggedIn) void loadFeatures();
      },
      // Without an answer the pages still render and say the API cannot be reached.
      () => {
        setSession(undefined);
        setSessionChecked(true);
        void loadFeatures();
      },
    );
  }, []);

  useEffect(() => {
    refresh();
    window.addEventListener(LOGIN_NEEDED_EVENT, refresh);
    return () => window.removeEventListener(LOGIN_NEEDED_EVENT, refresh);
  }, [refresh]);

  useEffect(() => {
    const title = document.querySelector('main h1')?.textContent;
    document.title = title ? `${title} · kafka-ts console` : 'kafka-ts console';
  });

  const needsLogin = session?.secured === true && !session.loggedIn;
  const logout = () => {
    api.logout().finally(() => {
      setFeatures(undefined);
      refresh();
    });
  };

  return (
    <ConsoleContext.Provider value={{ features, featuresError, session }}>
      <a class="skip-link" href="#content">
        Skip to content
      </a>
      <div class="shell">
        <aside class="sidebar">
          <Link href="/" class="brand" aria-label="kafka-ts console home">
            <span class="brand-mark" aria-hidden="true" />
            <span>
              kafka-ts <span class="brand-sub">console</span>
            </span>
          </Link>
          {needsLogin ? null : (
            <nav aria-label="Main">
              <NavLink href="/" label="Overview" path={path} />
              <NavLink href="/topics" label="Topics" path={path} />
              <NavLink href="/groups" label="Consumer groups" path={path} />
              {features && (features.acls || features.scram) ? <NavLink href="/security" label="Security" path={path} /> : null}
              {features?.transactions ? <NavLink href="/transactions" label="Transactions" path={path} /> : null}
            </nav>
          )}
          {session?.secured && session.loggedIn ? (
            <div class="session">
              <span class="muted">Signed in as</span> <strong>{session.user}</strong>
              <button type="button" class="button small" onClick={logout}>
                Log out
              </button>
            </div>
          ) : null}
        </aside>
        <main id="content" tabIndex={-1}>
          {!sessionChecked ? (
            <p class="muted loading">Connecting…</p>
          ) : needsLogin ? (
            <LoginPage onLoggedIn={refresh} />
          ) : (
            <Page path={path} />
          )}
        </main>
      </div>
    </ConsoleContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
