/** @module The mails and the status page in Simplified Chinese. */
import { type Recovery, formatDuration as within } from '@redress/protocol'
import type { Block, Composed } from './_blocks'
import type { CustomerMail, MailTemplates, TeamMail } from './index'

/** A failure type in words, as a team reads it. */
const FAILURE_TYPES: Record<string, string> = {
  outcome: '结果（错发、漏发、损坏）',
  process: '过程（延迟、缓慢、繁琐）',
  interaction: '服务态度',
}

const round = (value: number) => String(Math.round(value * 10) / 10)

const day = (iso: string) => iso.slice(0, 10)

const KINDS: Record<string, string> = {
  coupon: '优惠券',
  refund: '退款',
  replacement: '换货',
  correction: '更正',
  apology: '致歉',
  escalation: '人工跟进',
}

const SEVERITIES: Record<string, string> = { minor: '轻微', major: '较严重', critical: '严重' }

function remedy(recovery: Recovery): string {
  switch (recovery.kind) {
    case 'coupon':
      return [
        `${recovery.label}：优惠码 ${recovery.code}`,
        ...(recovery.expiresAt ? [`有效期至 ${day(recovery.expiresAt)}`] : []),
        ...(recovery.terms ? [recovery.terms] : []),
      ].join('\n')
    case 'escalation':
      return [
        recovery.message,
        ...(within(recovery.contactWithin, 'zh-CN')
          ? [`我们会在${within(recovery.contactWithin, 'zh-CN')}内联系您。`]
          : []),
      ].join('\n')
    default:
      return recovery.message
  }
}

const customerEnd = (input: CustomerMail): Block[] => [
  { kind: 'link', label: '查看处理进度', url: input.statusUrl },
  {
    kind: 'small',
    text: `您收到这封邮件，是因为您向${input.siteName}反馈了问题并留下了此邮箱。您的编号：${input.reference}。`,
    link: { label: '退订', url: input.unsubscribeUrl },
  },
]

const teamFacts = (input: TeamMail): Block[] => [
  {
    kind: 'list',
    items: [
      `编号：${input.reference}`,
      `类别：${input.category}`,
      `严重程度：${SEVERITIES[input.severity] ?? input.severity}`,
    ],
  },
  { kind: 'link', label: '在收件箱中查看', url: input.inboxUrl },
  { kind: 'small', text: `由 Redress 代${input.siteName}发送给团队邮箱。` },
]

export const zhCN: MailTemplates = {
  acknowledgment(input): Composed {
    return {
      subject: `我们已收到您的反馈 ${input.reference}`,
      blocks: [
        { kind: 'p', text: `感谢您告诉我们。我们已收到您的反馈，编号为 ${input.reference}。` },
        ...(input.remedies.length
          ? [
              { kind: 'p', text: '我们现在可以为您提供：' } as const,
              { kind: 'list', items: input.remedies.map(remedy) } as const,
            ]
          : []),
        ...customerEnd(input),
      ],
    }
  },

  reply(input): Composed {
    return {
      subject: `关于您的反馈 ${input.reference} 的回复`,
      blocks: [
        { kind: 'p', text: `我们回复了您的反馈 ${input.reference}：` },
        { kind: 'quote', text: input.message, by: input.author },
        ...customerEnd(input),
      ],
    }
  },

  follow_up(input): Composed {
    return {
      subject: `处理结果您满意吗？（${input.reference}）`,
      blocks: [
        {
          kind: 'p',
          text: `您的反馈 ${input.reference} 已处理完毕。处理结果您满意吗？点一下即可，下一页确认提交。`,
        },
        {
          kind: 'choices',
          links: input.scores.map((url, index) => ({ label: `${index + 1}`, url })),
        },
        { kind: 'p', text: '1 分最低，5 分最高。问题解决了吗？' },
        {
          kind: 'choices',
          links: [
            { label: '解决了', url: input.yes },
            { label: '还没有', url: input.no },
          ],
        },
        ...customerEnd(input),
      ],
    }
  },

  team_critical(input): Composed {
    return {
      subject: `严重投诉 ${input.reference}`,
      blocks: [
        { kind: 'p', text: '有顾客反馈了一个严重问题：' },
        { kind: 'quote', text: input.description, by: null },
        ...teamFacts(input),
      ],
    }
  },

  team_approval(input): Composed {
    const what = `${KINDS[input.kind] ?? input.kind}${input.value ? `（${input.value}）` : ''}`
    return {
      subject: `有补偿等待您批准：${input.reference}`,
      blocks: [
        {
          kind: 'p',
          text: `${input.reference} 的${what}正在等待人工批准或拒绝${input.reason ? `（原因：${input.reason}）` : ''}。`,
        },
        ...teamFacts(input),
      ],
    }
  },

  team_guarantee(input): Composed {
    return {
      subject: `服务承诺未兑现：${input.reference}`,
      blocks: [
        {
          kind: 'p',
          text: `${input.reference} 在 ${input.dueAt} 前没有得到回复，承诺“${input.promise}”未能兑现，承诺的补偿已发放。`,
        },
        ...teamFacts(input),
      ],
    }
  },

  team_invite(input): Composed {
    return {
      subject: `邀请您加入${input.siteName}的投诉收件箱`,
      blocks: [
        {
          kind: 'p',
          text: `${input.name}，您好！${input.invitedBy ?? '店主'}邀请您在 Redress 中答复${input.siteName}的顾客。请设置密码后登录；链接 7 天内有效，只能使用一次。`,
        },
        { kind: 'link', label: '设置密码', url: input.url },
        { kind: 'small', text: '如果您没有预期收到这封邮件，请忽略它：没有链接什么也不会发生。' },
      ],
    }
  },

  sign_in_link(input): Composed {
    return {
      subject: `登录${input.siteName}的投诉收件箱`,
      blocks: [
        { kind: 'p', text: `${input.name}，您好！这个链接可让您登录一次，15 分钟内有效。` },
        { kind: 'link', label: '登录', url: input.url },
        { kind: 'small', text: '如果不是您本人申请的，请忽略：没有链接谁也无法登录。' },
      ],
    }
  },

  team_reply(input): Composed {
    return {
      subject: `顾客回复了 ${input.reference}`,
      blocks: [{ kind: 'quote', text: input.message, by: null }, ...teamFacts(input)],
    }
  },

  team_alert(input): Composed {
    const { rule, count } = input
    const about =
      input.group === null
        ? ''
        : `关于「${rule.by === 'failureType' ? (FAILURE_TYPES[input.group] ?? input.group) : input.group}」的`
    const crossed =
      rule.kind === 'burst'
        ? `${rule.withinMinutes} 分钟内收到 ${count} 条${about}投诉（规则：${rule.count} 条或以上）`
        : `24 小时内收到 ${count} 条${about}投诉，${input.baseline ? `是前 ${rule.baselineDays} 天日均（${round(input.baseline)} 条）的 ${round(count / input.baseline)} 倍` : `远高于前 ${rule.baselineDays} 天`}`
    return {
      subject:
        rule.kind === 'burst'
          ? `预警：${rule.withinMinutes} 分钟内收到 ${count} 条${about}投诉`
          : `预警：24 小时内收到 ${count} 条${about}投诉`,
      blocks: [
        {
          kind: 'p',
          text: `${input.siteName}的投诉正在集中出现：${crossed}，第一条在 ${input.since}。`,
        },
        {
          kind: 'p',
          text: '可能有问题正同时影响许多顾客。在受影响的页面发布提示，可以让后来的顾客提前知情。',
        },
        { kind: 'link', label: '查看这些投诉', url: input.inboxUrl },
        { kind: 'small', text: `由 Redress 代${input.siteName}发送给团队邮箱，本次预警只发一次。` },
      ],
    }
  },

  remedy,

  categories: {
    broken: '东西坏了或用不了',
    order: '订单有误或缺件',
    slow: '等太久了',
    billing: '账单或付款',
    staff: '服务态度',
    other: '其他问题',
    // The categories the site does not list, counted together by an early-warning rule.
    '*': '未列出的类别',
  },

  statuses: {
    received: '已收到',
    in_progress: '处理中',
    resolved: '已解决',
    closed: '已关闭',
    reopened: '已重新受理',
  },

  page: {
    title: '您的反馈',
    heading: '您向{site}提交的反馈 {reference}',
    status: '状态',
    remedies: '我们为您提供',
    replies: '我们的回复',
    replyFrom: '{author} 的回复',
    ourReply: '我们的回复',
    question: '处理结果您满意吗？',
    scale: '1 分最低，5 分最高',
    resolved: '问题解决了吗？',
    yes: '解决了',
    no: '还没有',
    comment: '还有什么想告诉我们的吗？（可不填）',
    fairness: '以下问题可跳过（1 分最低，5 分最高）：',
    fairRemedy: '补偿是否公平？',
    fairProcess: '处理是否快捷方便？',
    fairTreatment: '您是否受到尊重？',
    send: '提交',
    missing: '请回答上面两个问题。',
    thanks: '谢谢，我们会做得更好。',
    reopened: '抱歉还没解决，已重新受理。',
    answered: '谢谢，我们已收到您的回答。',
    writeBack: '给我们留言',
    message: '您的留言',
    sendMessage: '发送留言',
    messageMissing: '请填写留言内容。',
    messageSent: '谢谢，我们已收到您的留言，会通过邮件答复您。',
    messageDuplicate: '这条留言我们已经收到了。',
    tooManyMessages: '关于这条反馈您已给我们留言多次，我们会先答复已收到的留言。',
    yourMessages: '您的留言',
    unsubscribeTitle: '退订',
    unsubscribeAsk: '不再接收{site}发往 {address} 的邮件？',
    unsubscribeButton: '退订',
    unsubscribed: '{site}不会再向 {address} 发送邮件。',
  },
}
