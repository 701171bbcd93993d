/**
 * The footer form as plain HTML: it works with JavaScript off (a normal POST to /subscribe that
 * answers with a "check your inbox" page), and embed.js upgrades it in place when it runs.
 * The same markup is served at /embed/form and printed in the README for the WordPress footer.
 */
export interface FormMarkupProps {
  publicUrl: string;
  siteName: string;
  privacyUrl?: string;
  /** The article the form sits under; without it /subscribe uses the Referer. */
  source?: string;
  consentVersion: string;
  /** Cloudflare Turnstile's site key, when the operator turned it on. */
  turnstileSiteKey?: string;
}

export function SubscribeForm({ publicUrl, siteName, privacyUrl, source, consentVersion, turnstileSiteKey }: FormMarkupProps) {
  return (
    <form class="broadside-form" method="post" action={`${publicUrl}/subscribe`} data-broadside="">
      <p class="broadside-title">Get the weekly digest from {siteName}</p>
      <label class="broadside-label" for="broadside-email">
        Your email address
      </label>
      <div class="broadside-row">
        <input
          class="broadside-input"
          id="broadside-email"
          type="email"
          name="email"
          required
          autocomplete="email"
          placeholder="you@example.org"
          maxlength={254}
          aria-describedby="broadside-consent broadside-message"
        />
        <button class="broadside-button" type="submit">
          Subscribe
        </button>
      </div>
      {/* Honeypot: hidden from people and screen readers; bots fill it in. */}
      <div class="broadside-hp" aria-hidden="true">
        <label>
          Leave this empty <input type="text" name="website" tabindex={-1} autocomplete="off" />
        </label>
      </div>
      {turnstileSiteKey && <div class="cf-turnstile" data-sitekey={turnstileSiteKey}></div>}
      {source && <input type="hidden" name="source" value={source} />}
      <input type="hidden" name="consent" value={consentVersion} />
      <p class="broadside-consent" id="broadside-consent">
        We’ll email you to confirm. One click unsubscribes you from any email.{' '}
        {privacyUrl ? <a href={privacyUrl}>How we use your address</a> : 'We never share your address.'}
      </p>
      <p class="broadside-message" id="broadside-message" role="status" aria-live="polite"></p>
    </form>
  );
}

export const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js';

/** The scripts that go after the form: embed.js, and Turnstile's own when it is on. */
export function FormScripts({ publicUrl, turnstileSiteKey }: { publicUrl: string; turnstileSiteKey?: string }) {
  return (
    <>
      {turnstileSiteKey && <script src={TURNSTILE_SCRIPT} async defer></script>}
      <script src={`${publicUrl}/embed.js`} defer></script>
    </>
  );
}
