/**
 * The catalogue sections the application shell uses: the sign-in page, the layout and its
 * navigation and its notifications bell, the home page, the error pages, and what any page may show (common words, the
 * API's errors, role names). They ship in the main bundle; the other sections (one or a few per
 * feature) are fetched with the first page that needs them: routes marked `meta.shell` need only
 * these (router/index.ts), every other route waits for the rest (i18n/index.ts).
 *
 * Also read by vite.config.ts, which precompiles each locale's catalogue in these two parts.
 */
export const SHELL_SECTIONS: readonly string[] = ['app', 'common', 'errors', 'login', 'layout', 'nav', 'home', 'roles', 'notFound', 'forbidden', 'notificationBell'];
