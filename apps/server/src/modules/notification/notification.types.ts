import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "An in-app notification for the signed-in user" })
export class Notification {
  @Field(() => ID) id: string;
  @Field({ description: "e.g. APPLICATION_RETURN, APPLICATION_SUBMIT, DEADLINE_APPROACHING, CONTACT_APPROVED" }) kind: string;
  @Field() title: string;
  @Field() body: string;
  @Field(() => ID, { nullable: true }) campaignId: string | null;
  @Field(() => ID, { nullable: true }) applicationId: string | null;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) readAt: Date | null;
}

@ObjectType()
export class NotificationPage {
  @Field(() => [Notification]) items: Notification[];
  @Field(() => Int) total: number;
  @Field(() => Int, { description: "Unread notifications in all" }) unread: number;
}
