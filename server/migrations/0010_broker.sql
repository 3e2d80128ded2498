CREATE TABLE "broker_connection" (
	"id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"mesh_id" text NOT NULL,
	"member_id" text NOT NULL,
	"token_id" text NOT NULL,
	"session_id" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text,
	"host" text,
	"kind" text NOT NULL,
	"visible" boolean NOT NULL,
	"connected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "broker_delivery" (
	"message_id" text NOT NULL,
	"mesh_id" text NOT NULL,
	"recipient_id" text NOT NULL,
	"recipient_session_id" text,
	"seq" bigint NOT NULL,
	CONSTRAINT "broker_delivery_message_id_recipient_id_pk" PRIMARY KEY("message_id","recipient_id")
);
--> statement-breakpoint
CREATE TABLE "broker_instance" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"heartbeat_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "broker_message" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"mesh_id" text NOT NULL,
	"sender_id" text NOT NULL,
	"sender_session_id" text NOT NULL,
	"sender_name" text NOT NULL,
	"to_all" boolean NOT NULL,
	"body" text NOT NULL,
	"client_ref" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mesh_member" ADD COLUMN "peer_grants" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "mesh_member" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "broker_connection" ADD CONSTRAINT "broker_connection_instance_id_broker_instance_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."broker_instance"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broker_connection" ADD CONSTRAINT "broker_connection_token_id_cli_token_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."cli_token"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broker_connection" ADD CONSTRAINT "broker_connection_mesh_id_member_id_mesh_member_mesh_id_user_id_fk" FOREIGN KEY ("mesh_id","member_id") REFERENCES "public"."mesh_member"("mesh_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broker_delivery" ADD CONSTRAINT "broker_delivery_message_id_broker_message_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."broker_message"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broker_delivery" ADD CONSTRAINT "broker_delivery_mesh_id_recipient_id_mesh_member_mesh_id_user_id_fk" FOREIGN KEY ("mesh_id","recipient_id") REFERENCES "public"."mesh_member"("mesh_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broker_message" ADD CONSTRAINT "broker_message_mesh_id_mesh_id_fk" FOREIGN KEY ("mesh_id") REFERENCES "public"."mesh"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "broker_connection_session_idx" ON "broker_connection" USING btree ("mesh_id","member_id","session_id");--> statement-breakpoint
CREATE INDEX "broker_connection_token_idx" ON "broker_connection" USING btree ("token_id");--> statement-breakpoint
CREATE INDEX "broker_connection_instance_idx" ON "broker_connection" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "broker_delivery_recipient_idx" ON "broker_delivery" USING btree ("mesh_id","recipient_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "broker_message_client_ref_idx" ON "broker_message" USING btree ("mesh_id","sender_id","client_ref");--> statement-breakpoint
CREATE INDEX "broker_message_created_at_idx" ON "broker_message" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "mesh_member_peer_grants_idx" ON "mesh_member" USING gin ("peer_grants");