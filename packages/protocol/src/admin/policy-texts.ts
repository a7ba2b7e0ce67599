/**
 * @module The texts a customer reads from the server's default policy, in
 * every locale: one home for the server (which answers with them) and the
 * inbox (which shows what "use the default" brings back).
 */
import type { Locale } from '../index'
import type { PolicyTexts } from './policy'

/**
 * The default `RecoveryPolicy.texts`; a site overrides any of them per
 * locale. Placeholders: `POLICY_TEXT_PLACEHOLDERS`.
 *
 * @example
 * DEFAULT_POLICY_TEXTS['zh-CN'].couponLabel // '下次购物立减{amount}'
 */
export const DEFAULT_POLICY_TEXTS: Record<Locale, PolicyTexts> = {
  en: {
    // Empathy first, then intensity, then timing (Roschk & Kaiser 2013).
    apology: "We're sorry. That should not have happened, and we understand how frustrating it is.",
    explanation:
      "We've recorded what went wrong and passed it to the people who can fix it, so it does not happen again.",
    review: "A member of our team will review your case and get back to you about what we'll do.",
    replacement: "We'll send you a replacement{orderRef} at no cost.",
    // Redoing the failed service is the remedy a process failure asks for
    // (Roschk & Gelbrich 2014): say plainly that it was done.
    correction: "We've fixed the problem you reported.",
    refund: "We're refunding {amount} to your original payment method.",
    // Keep the customer informed and say who owns it next. When is not said
    // here: the remedy carries `contactWithin`, which the widget and the mails
    // word for the locale, so changing the policy's time cannot leave a stale text.
    escalation: 'A member of our team will contact you personally to put this right.',
    couponLabel: '{amount} off your next order',
    // Single use and bound to this customer (Shopify/Stripe conventions).
    couponTerms: 'Single use, for you only. Valid until {date}.',
  },
  'zh-CN': {
    // Empathy first (Roschk & Kaiser 2013): "we understand how you feel" is
    // how a shop says it in Chinese; "给您添麻烦了" owns the trouble caused.
    apology: '真的很抱歉，这本不该发生。给您添麻烦了，我们完全理解您的心情。',
    explanation: '我们已经把问题记录下来，转给了能解决它的同事，避免同样的事再次发生。',
    review: '我们的同事会仔细看一下您的情况，并尽快告诉您我们打算怎么处理。',
    // `{orderRef}` is "订单 A-1001 的" here: "the new item of order A-1001".
    replacement: '我们会为您补寄{orderRef}新商品，费用全部由我们承担。',
    // Say plainly that it was done (Roschk & Gelbrich 2014).
    correction: '您反馈的问题我们已经处理好了。',
    // "原路退回", back the way it was paid, is how Chinese shops promise a refund.
    refund: '我们正在为您办理退款，{amount}将原路退回您的付款账户。',
    // Who owns it next, and by when.
    escalation: '我们的同事会亲自联系您，把这件事处理好。',
    // "立减": taken off the price at checkout, the usual wording of a coupon.
    couponLabel: '下次购物立减{amount}',
    // Single use and bound to this customer (Shopify/Stripe conventions).
    couponTerms: '仅限您本人使用一次，有效期至{date}。',
  },
}
