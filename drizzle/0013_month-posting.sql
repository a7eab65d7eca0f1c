CREATE TABLE "house_month" (
	"house_id" integer NOT NULL,
	"period" date NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"posted_by_id" integer,
	CONSTRAINT "house_month_house_id_period_pk" PRIMARY KEY("house_id","period"),
	CONSTRAINT "house_month_period_month" CHECK (extract(day from "house_month"."period") = 1)
);
--> statement-breakpoint
CREATE TABLE "house_month_event" (
	"id" serial PRIMARY KEY NOT NULL,
	"house_id" integer NOT NULL,
	"period" date NOT NULL,
	"action" varchar(16) NOT NULL,
	"person_id" integer,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoice" ADD COLUMN "posted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoice" ADD COLUMN "out_of_date" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "house_month" ADD CONSTRAINT "house_month_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "house_month" ADD CONSTRAINT "house_month_posted_by_id_person_id_fk" FOREIGN KEY ("posted_by_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "house_month_event" ADD CONSTRAINT "house_month_event_house_id_house_id_fk" FOREIGN KEY ("house_id") REFERENCES "public"."house"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "house_month_event" ADD CONSTRAINT "house_month_event_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "house_month_event_house_idx" ON "house_month_event" USING btree ("house_id","period");