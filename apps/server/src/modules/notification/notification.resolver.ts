import { Arg, Args, Ctx as GqlCtx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Ctx } from "../../common/context.js";
import { PageArgs } from "../../common/paging.js";
import { requireCampaign } from "../campaign/campaign.service.js";
import * as notifications from "./notification.service.js";
import { Notification, NotificationPage } from "./notification.types.js";

const view = (r: notifications.NotificationRow): Notification =>
  Object.assign(new Notification(), {
    id: String(r.id),
    kind: r.kind,
    title: r.title,
    body: r.body,
    campaignId: r.campaign_id ? String(r.campaign_id) : null,
    applicationId: r.application_id ? String(r.application_id) : null,
    createdAt: r.created_at,
    readAt: r.read_at,
  });

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => NotificationPage, { description: "The signed-in user's notifications, newest first" })
  async notifications(@Arg("unreadOnly", { defaultValue: false }) unreadOnly: boolean, @Args() page: PageArgs, @GqlCtx() ctx: Ctx) {
    const r = await notifications.listNotifications(ctx, unreadOnly, page);
    return Object.assign(new NotificationPage(), { items: r.items.map(view), total: r.total, unread: r.unread });
  }

  @Mutation(() => Int, { description: "Mark notifications read (all when ids is omitted); returns how many changed" })
  markNotificationsRead(@Arg("ids", () => [ID], { nullable: true }) ids: string[] | null, @GqlCtx() ctx: Ctx) {
    return notifications.markRead(ctx, ids ?? null);
  }

  @Mutation(() => Int, { description: "Send deadline reminders now (province; also runs hourly); returns how many were sent" })
  async sendDeadlineReminders(
    @Arg("campaignId", () => ID) campaignId: string,
    @Arg("withinDays", () => Int, { defaultValue: 3 }) withinDays: number,
    @GqlCtx() ctx: Ctx,
  ) {
    await requireCampaign(ctx, campaignId);
    return notifications.sendDeadlineReminders(ctx.db, { campaignId, withinDays: Math.min(Math.max(withinDays, 1), 30) });
  }
}
