/** @module The mails and the status page in English. */
import { type Recovery, formatDuration as within } from '@redress/protocol'
import type { Block, Composed } from './_blocks'
import type { CustomerMail, MailTemplates, TeamMail } from './index'

const day = (iso: string) => iso.slice(0, 10)

/** A failure type in words, as a team reads it. */
const FAILURE_TYPES: Record<string, string> = {
  outcome: 'what was delivered (wrong, missing, broken)',
  process: 'how it was delivered (late, slow, complicated)',
  interaction: 'how people treated customers',
}

const round = (value: number | null) => String(Math.round((value ?? 0) * 10) / 10)
const ratio = (count: number, baseline: number | null) =>
  baseline ? `${round(count / baseline)}×` : 'far above'

function remedy(recovery: Recovery): string {
  switch (recovery.kind) {
    case 'coupon':
      return [
        `${recovery.label}: code ${recovery.code}`,
        ...(recovery.expiresAt ? [`valid until ${day(recovery.expiresAt)}`] : []),
        ...(recovery.terms ? [recovery.terms] : []),
      ].join('\n')
    case 'escalation':
      return [
        recovery.message,
        ...(within(recovery.contactWithin, 'en')
          ? [`We will contact you within ${within(recovery.contactWithin, 'en')}.`]
          : []),
      ].join('\n')
    default:
      return recovery.message
  }
}

/** The end of every customer mail: the status link, why it came, how to stop it. */
const customerEnd = (input: CustomerMail): Block[] => [
  { kind: 'link', label: 'See where your report stands', url: input.statusUrl },
  {
    kind: 'small',
    text: `You get this e-mail because you reported a problem to ${input.siteName} and left this address. Your reference: ${input.reference}.`,
    link: { label: 'Unsubscribe', url: input.unsubscribeUrl },
  },
]

/** The facts every team mail lists, and the way to the complaint. */
const teamFacts = (input: TeamMail): Block[] => [
  {
    kind: 'list',
    items: [
      `Reference: ${input.reference}`,
      `Category: ${input.category}`,
      `Severity: ${input.severity}`,
    ],
  },
  { kind: 'link', label: 'Open it in the inbox', url: input.inboxUrl },
  { kind: 'small', text: `Sent by Redress for ${input.siteName} to its team addresses.` },
]

export const en: MailTemplates = {
  acknowledgment(input): Composed {
    return {
      subject: `We received your report ${input.reference}`,
      blocks: [
        {
          kind: 'p',
          text: `Thank you for telling us. We received your report; its reference is ${input.reference}.`,
        },
        ...(input.remedies.length
          ? [
              { kind: 'p', text: 'What we can offer you now:' } as const,
              { kind: 'list', items: input.remedies.map(remedy) } as const,
            ]
          : []),
        ...customerEnd(input),
      ],
    }
  },

  reply(input): Composed {
    return {
      subject: `A reply about your report ${input.reference}`,
      blocks: [
        { kind: 'p', text: `We replied to your report ${input.reference}:` },
        { kind: 'quote', text: input.message, by: input.author },
        ...customerEnd(input),
      ],
    }
  },

  follow_up(input): Composed {
    return {
      subject: `Did we make it right? (${input.reference})`,
      blocks: [
        {
          kind: 'p',
          text: `We consider your report ${input.reference} resolved. Did we make it right? One click is enough; you confirm it on the next page.`,
        },
        {
          kind: 'choices',
          links: input.scores.map((url, index) => ({ label: `${index + 1}`, url })),
        },
        { kind: 'p', text: '1 = not at all, 5 = completely. Is your problem solved?' },
        {
          kind: 'choices',
          links: [
            { label: 'Yes, solved', url: input.yes },
            { label: 'No, not yet', url: input.no },
          ],
        },
        ...customerEnd(input),
      ],
    }
  },

  team_critical(input): Composed {
    return {
      subject: `Critical complaint ${input.reference}`,
      blocks: [
        { kind: 'p', text: 'A customer reported a critical problem:' },
        { kind: 'quote', text: input.description, by: null },
        ...teamFacts(input),
      ],
    }
  },

  team_approval(input): Composed {
    return {
      subject: `A remedy waits for your approval: ${input.reference}`,
      blocks: [
        {
          kind: 'p',
          text: `A ${input.kind}${input.value ? ` worth ${input.value}` : ''} for ${input.reference} waits for a person to approve or reject it${input.reason ? ` (why: ${input.reason})` : ''}.`,
        },
        ...teamFacts(input),
      ],
    }
  },

  team_guarantee(input): Composed {
    return {
      subject: `Service guarantee broken: ${input.reference}`,
      blocks: [
        {
          kind: 'p',
          text: `Nobody replied to ${input.reference} by ${input.dueAt}, so the promise "${input.promise}" was broken and its remedy issued.`,
        },
        ...teamFacts(input),
      ],
    }
  },

  team_invite(input): Composed {
    return {
      subject: `You are invited to ${input.siteName}'s complaint inbox`,
      blocks: [
        {
          kind: 'p',
          text: `Hello ${input.name}, ${input.invitedBy ?? 'the owner'} invited you to answer ${input.siteName}'s customers in Redress. Set your password to sign in; the link works for 7 days, once.`,
        },
        { kind: 'link', label: 'Set my password', url: input.url },
        {
          kind: 'small',
          text: 'If you did not expect this, ignore it: nothing happens without the link.',
        },
      ],
    }
  },

  sign_in_link(input): Composed {
    return {
      subject: `Sign in to ${input.siteName}'s complaint inbox`,
      blocks: [
        { kind: 'p', text: `Hello ${input.name}, this link signs you in once, within 15 minutes.` },
        { kind: 'link', label: 'Sign me in', url: input.url },
        {
          kind: 'small',
          text: 'If you did not ask for it, ignore it: nobody can sign in without the link.',
        },
      ],
    }
  },

  team_reply(input): Composed {
    return {
      subject: `The customer wrote back about ${input.reference}`,
      blocks: [{ kind: 'quote', text: input.message, by: null }, ...teamFacts(input)],
    }
  },

  team_alert(input): Composed {
    const { rule, count } = input
    const what =
      input.group === null
        ? 'complaints'
        : rule.by === 'failureType'
          ? `complaints about ${FAILURE_TYPES[input.group] ?? input.group}`
          : `complaints about ${input.group}`
    const crossed =
      rule.kind === 'burst'
        ? `${count} ${what} within ${rule.withinMinutes} minutes (the rule: ${rule.count} or more)`
        : `${count} ${what} in 24 hours, ${ratio(count, input.baseline)} an average day of the ${rule.baselineDays} days before (${round(input.baseline)})`
    return {
      subject:
        rule.kind === 'burst'
          ? `Early warning: ${count} ${what} within ${rule.withinMinutes} minutes`
          : `Early warning: ${count} ${what} in 24 hours`,
      blocks: [
        {
          kind: 'p',
          text: `Complaints are piling up at ${input.siteName}: ${crossed}, the first at ${input.since}.`,
        },
        {
          kind: 'p',
          text: 'Something may be failing for many customers at once. A notice on the affected pages warns the next ones before they run into it.',
        },
        { kind: 'link', label: 'See the complaints', url: input.inboxUrl },
        {
          kind: 'small',
          text: `Sent by Redress for ${input.siteName} to its team addresses, once for this episode.`,
        },
      ],
    }
  },

  remedy,

  categories: {
    broken: 'Something is broken',
    order: 'The order is wrong or missing',
    slow: 'It took too long',
    billing: 'Billing or payment',
    staff: 'How the customer was treated',
    other: 'Something else',
    // The categories the site does not list, counted together by an early-warning rule.
    '*': 'Categories the site does not list',
  },

  statuses: {
    received: "We've received it",
    in_progress: "We're working on it",
    resolved: 'Resolved',
    closed: 'Closed',
    reopened: "Reopened, we're looking at it again",
  },

  page: {
    title: 'Your report',
    heading: 'Your report {reference} to {site}',
    status: 'Status',
    remedies: 'What we offer you',
    replies: 'Our replies',
    replyFrom: 'Reply from {author}',
    ourReply: 'Our reply',
    question: 'Did we make it right?',
    scale: '1 = not at all, 5 = completely',
    resolved: 'Is your problem solved?',
    yes: 'Yes',
    no: 'No',
    comment: 'Anything else you want to tell us (optional)',
    fairness: 'Three quick questions, if you like (1 = not at all, 5 = completely):',
    fairRemedy: 'Was the remedy fair?',
    fairProcess: 'Was it quick and easy?',
    fairTreatment: 'Were you treated with respect?',
    send: 'Send my answer',
    missing: 'Please answer both questions.',
    thanks: 'Thank you, this helps us do better.',
    reopened: "Sorry it isn't solved yet. We've reopened your report.",
    answered: 'Thank you, we have your answer.',
    writeBack: 'Write to us',
    message: 'Your message',
    sendMessage: 'Send my message',
    messageMissing: 'Please write your message.',
    messageSent: 'Thank you, we have your message. We will answer you by e-mail.',
    messageDuplicate: 'We have this message already.',
    tooManyMessages:
      'You have written to us many times about this report; we will answer what we have first.',
    yourMessages: 'Your messages',
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeAsk: 'Stop e-mails from {site} to {address}?',
    unsubscribeButton: 'Unsubscribe',
    unsubscribed: '{site} will send no more e-mails to {address}.',
  },
}
