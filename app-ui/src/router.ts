//! Screens are addressed by the URL hash, so the webview's back and forward work and a
//! refresh keeps the user where they were:
//!   #/                    welcome
//!   #/accounts/new        new account form
//!   #/accounts/<id>       account page
//!   #/accounts/<id>/edit  account form, edit mode

export type Route =
  | { name: 'home' }
  | { name: 'new-account' }
  | { name: 'account'; id: string }
  | { name: 'edit-account'; id: string };

export function parseRoute(hash: string = window.location.hash): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'accounts') {
    if (parts[1] === 'new') return { name: 'new-account' };
    if (parts[1] && parts[2] === 'edit') return { name: 'edit-account', id: parts[1] };
    if (parts[1]) return { name: 'account', id: parts[1] };
  }
  return { name: 'home' };
}

export function routeToHash(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'new-account':
      return '#/accounts/new';
    case 'account':
      return `#/accounts/${encodeURIComponent(route.id)}`;
    case 'edit-account':
      return `#/accounts/${encodeURIComponent(route.id)}/edit`;
  }
}

export function navigate(route: Route): void {
  const hash = routeToHash(route);
  if (window.location.hash === hash) {
    // Same screen: ask for a re-render anyway (for example after saving a form).
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}
