CREATE TABLE "email_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "mesh" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mesh_invite" (
	"id" text PRIMARY KEY NOT NULL,
	"mesh_id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"email" text,
	"role" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" text
);
--> statement-breakpoint
CREATE TABLE "mesh_member" (
	"mesh_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mesh_member_mesh_id_user_id_pk" PRIMARY KEY("mesh_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "telemetry_event" (
	"id" text PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"install_id" text NOT NULL,
	"properties" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mesh" ADD CONSTRAINT "mesh_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mesh_invite" ADD CONSTRAINT "mesh_invite_mesh_id_mesh_id_fk" FOREIGN KEY ("mesh_id") REFERENCES "public"."mesh"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mesh_invite" ADD CONSTRAINT "mesh_invite_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mesh_invite" ADD CONSTRAINT "mesh_invite_accepted_by_user_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mesh_member" ADD CONSTRAINT "mesh_member_mesh_id_mesh_id_fk" FOREIGN KEY ("mesh_id") REFERENCES "public"."mesh"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mesh_member" ADD CONSTRAINT "mesh_member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mesh_slug_idx" ON "mesh" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "mesh_invite_secret_hash_idx" ON "mesh_invite" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "mesh_member_user_id_idx" ON "mesh_member" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "telemetry_event_received_at_idx" ON "telemetry_event" USING btree ("received_at");