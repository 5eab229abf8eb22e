import { createApp, watch } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router, updateDocumentTitle } from './router/index.ts';
import { i18n, initLocale } from './i18n/index.ts';
import { setAuthHooks, setConnectivityHooks } from './api/client.ts';
import { useAuthStore } from './stores/auth.ts';
import { useConnectivityStore } from './stores/connectivity.ts';
import './styles/main.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);

const auth = useAuthStore(pinia);
const connectivity = useConnectivityStore(pinia);

function goToLogin(reason: 'expired' | 'signed-out'): void {
  const current = router.currentRoute.value;
  if (current.name === 'login') return;
  const query: Record<string, string> = { reason };
  if (current.fullPath !== '/') query.redirect = current.fullPath;
  void router.replace({ name: 'login', query });
}

setAuthHooks({
  getAccessToken: () => auth.accessToken,
  refresh: () => auth.refresh(),
  onSessionLost: () => {
    auth.clearSession();
    goToLogin('expired');
  },
});

setConnectivityHooks({
  onUnreachable: (method) => connectivity.markUnreachable(method),
  onReachable: () => connectivity.markReachable(),
});

window.addEventListener('storage', (event) => {
  if (auth.onStorageChange(event) === 'signed-out') goToLogin('signed-out');
});

watch(i18n.global.locale, updateDocumentTitle);
// The remembered language's catalogue first (English is fetched on demand), then the router's
// first navigation and the first paint, in that language.
void initLocale().then(() => {
  app.use(router);
  app.mount('#app');
});
