ALTER TABLE "meter_volume" DROP CONSTRAINT "meter_volume_meter_id_meter_id_fk";
--> statement-breakpoint
ALTER TABLE "meter_volume" ADD CONSTRAINT "meter_volume_meter_id_meter_id_fk" FOREIGN KEY ("meter_id") REFERENCES "public"."meter"("id") ON DELETE cascade ON UPDATE no action;